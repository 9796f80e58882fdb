// connectICloud against plain CalDAV servers: Radicale (Basic auth, home on the same host) and Xandikos (no auth:
// connect and discovery only).
import { describe, expect, it } from 'vitest'
import {
  createCalendar,
  startRadicale,
  startXandikos,
  type RunningRadicale,
  type RunningXandikos,
} from '../../support/caldav/index.ts'
import { createTeam } from '../../support/factories.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { byName, ConnectICloud } from './documents.ts'

describe('against Radicale', () => {
  const username = 'radi.user@example.com'
  const password = 'radi-cale-pass-word'
  let radicale: RunningRadicale
  let t: TestApp
  useStarted(
    () => startRadicale({ users: { [username]: password } }),
    async (started) => {
      radicale = started
      await createCalendar(radicale, {
        username,
        password,
        path: `/${username}/work/`,
        displayName: 'Work',
        color: '#FF2968FF',
      })
      await createCalendar(radicale, {
        username,
        password,
        path: `/${username}/todo/`,
        displayName: 'Todo',
        components: ['VTODO'],
      })
    },
  )
  useTestApp(
    (app) => (t = app),
    () => ({ ICLOUD_CALDAV_URL: radicale.url }),
  )

  it('refuses a wrong password with InvalidCredentialsError and stores nothing', async () => {
    const { user } = await createTeam(t.services)
    const result = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: username, appSpecificPassword: 'wron-gpas-swor-dxxx' },
    })
    expect(result.connectICloud.__typename).toBe('InvalidCredentialsError')
    expect(await t.services.prisma.integration.count()).toBe(0)
  })

  it('connects and lists the calendars with their kinds', async () => {
    const { user } = await createTeam(t.services)
    const result = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: username, appSpecificPassword: password.toUpperCase() },
    })
    expect(result.connectICloud.__typename).toBe('ConnectICloudSuccess')
    if (result.connectICloud.__typename !== 'ConnectICloudSuccess') return
    const { calendars, status } = result.connectICloud.integration
    expect(status).toBe('CONNECTED')
    expect(byName(calendars, 'work')).toMatchObject({
      displayName: 'Work',
      color: '#FF2968FF',
      selectableAsLinked: true,
      selectableAsConflict: true,
    })
    expect(byName(calendars, 'todo')).toMatchObject({
      kind: 'TASK_LIST',
      selectableAsLinked: false,
      selectableAsConflict: false,
    })
    const row = await t.services.prisma.integration.findFirstOrThrow()
    expect(decodeURIComponent(row.homeUrl)).toBe(`${radicale.url}${username}/`)
  })
})

describe('against Xandikos', () => {
  let xandikos: RunningXandikos
  let t: TestApp

  useStarted(startXandikos, async (started) => {
    xandikos = started
    await createCalendar(xandikos, { path: `${xandikos.homePath}team/`, displayName: 'Team' })
  })
  useTestApp(
    (app) => (t = app),
    () => ({ ICLOUD_CALDAV_URL: xandikos.url }),
  )

  it('connects and discovers the home and its calendars (no authentication on this server)', async () => {
    const { user } = await createTeam(t.services)
    const result = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: 'xandikos@example.com', appSpecificPassword: 'xand-ikos-xand-ikos' },
    })
    expect(result.connectICloud.__typename).toBe('ConnectICloudSuccess')
    if (result.connectICloud.__typename !== 'ConnectICloudSuccess') return
    const row = await t.services.prisma.integration.findFirstOrThrow()
    expect(row.principalUrl).toBe(`${xandikos.url.replace(/\/$/, '')}${xandikos.principalPath}`)
    expect(row.homeUrl).toBe(`${xandikos.url.replace(/\/$/, '')}${xandikos.homePath}`)
    const calendars = result.connectICloud.integration.calendars
    expect(byName(calendars, 'calendar')).toMatchObject({ kind: 'EVENT_CALENDAR', selectableAsLinked: true })
    expect(byName(calendars, 'team')).toMatchObject({ displayName: 'Team', writable: true, selectableAsConflict: true })
  })
})
