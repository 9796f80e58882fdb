// The iCloud-faithful test server and an app whose ICLOUD_CALDAV_URL is its entry host, for a whole test file.
import { startICloudServer, type ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'

export interface ICloudApp {
  server: ICloudTestServer
  t: TestApp
}

/** Starts both before the file's tests (server first) and hands them to `receive`; `env` adds to the app's settings. */
export function useICloudApp(receive: (started: ICloudApp) => unknown, env: Record<string, string> = {}): void {
  let server: ICloudTestServer
  useStarted(startICloudServer, (started) => (server = started))
  useTestApp(
    (t) => receive({ server, t }),
    () => ({ ICLOUD_CALDAV_URL: server.entryUrl, ...env }),
  )
}
