// Jane, the Apple ID the iCloud tests connect: an app-specific password (her normal one is refused, as by Apple), a
// Work calendar and a read-only calendar her boss shares with her.
import type { ICloudTestAccount, ICloudTestServer } from './caldav/icloud/index.ts'

export const JANE = {
  appleId: 'Jane.Doe@iCloud.com',
  appSpecificPassword: 'abcd-efgh-ijkl-mnop',
  normalPassword: 'MyN0rmalApplePassword!',
} as const

/** Jane's account with her Work and Boss's calendars on `server`. */
export async function addJane(server: ICloudTestServer): Promise<ICloudTestAccount> {
  const jane = await server.addAccount({ ...JANE })
  await jane.addCalendar('work', { displayName: 'Work', color: '#FF2968FF' })
  await jane.addCalendar('boss', { displayName: "Boss's calendar", readOnlyShared: true })
  return jane
}
