// Resources the proxy answers itself: the root, the principal, and the non-calendar collections iCloud lists in
// every calendar home (scheduling inbox/outbox, notifications, a subscribed calendar).
import type { AccountRecord } from './accounts.ts'
import { clark, escapeXml, hrefXml, privilegesXml } from './davXml.ts'
import { homePath, principalPath, type SynthesizedName } from './paths.ts'
import type { ICloudQuirks } from './types.ts'

export function rootProps(account: AccountRecord): Map<string, string> {
  return new Map([
    [clark('D', 'current-user-principal'), hrefXml(principalPath(account.dsid))],
    [clark('D', 'resourcetype'), '<D:collection/>'],
  ])
}

export function principalProps(account: AccountRecord, partitionUrl: string): Map<string, string> {
  const principal = principalPath(account.dsid)
  const home = homePath(account.dsid)
  return new Map([
    [clark('D', 'resourcetype'), '<D:principal/>'],
    [clark('D', 'current-user-principal'), hrefXml(principal)],
    [clark('D', 'principal-URL'), hrefXml(principal)],
    [clark('D', 'displayname'), escapeXml(account.appleId.split('@')[0] ?? account.appleId)],
    // The home lives on the partition host, as an absolute URL (RFC 4791 §6.2.1 allows any URL).
    [clark('C', 'calendar-home-set'), hrefXml(new URL(home, partitionUrl).href)],
    [clark('C', 'calendar-user-address-set'), hrefXml(`mailto:${account.appleId}`) + hrefXml(principal)],
    [clark('C', 'schedule-inbox-URL'), hrefXml(`${home}inbox/`)],
    [clark('C', 'schedule-outbox-URL'), hrefXml(`${home}outbox/`)],
    [clark('CS', 'email-address-set'), `<CS:email-address>${escapeXml(account.appleId)}</CS:email-address>`],
  ])
}

const SUBSCRIBED_SOURCE = 'webcal://p42-calendars.icloud.com/holidays/us_en.ics'

export function synthesizedProps(name: SynthesizedName, quirks: ICloudQuirks): Map<string, string> {
  const ctag = clark('CS', 'getctag')
  const resourcetype = clark('D', 'resourcetype')
  const privileges = clark('D', 'current-user-privilege-set')
  const components = clark('C', 'supported-calendar-component-set')
  const eventAndTodo = '<C:comp name="VEVENT"/><C:comp name="VTODO"/>'
  switch (name) {
    case 'inbox':
      return new Map([
        [resourcetype, '<D:collection/><C:schedule-inbox/>'],
        [ctag, '"inbox-1"'],
        [privileges, privilegesXml(['read', 'write-content', 'unbind'])],
        [components, eventAndTodo],
      ])
    case 'outbox':
      return new Map([
        [resourcetype, '<D:collection/><C:schedule-outbox/>'],
        [privileges, privilegesXml(['read'])],
        [components, eventAndTodo],
      ])
    case 'notification':
      return new Map([
        [resourcetype, '<D:collection/><CS:notification/>'],
        [ctag, '"notification-1"'],
        [privileges, privilegesXml(['read', 'write-content', 'unbind'])],
      ])
    case 'holidays-sub': {
      // Subscribed (webcal) calendars are collections but not C:calendar, even though they report VEVENT support
      // and a color like real calendars: a client must filter on resourcetype, not on components.
      const props = new Map([
        [resourcetype, '<D:collection/><CS:subscribed/>'],
        [clark('D', 'displayname'), 'US Holidays'],
        [clark('A', 'calendar-color'), '#CC73E1FF'],
        [ctag, '"holidays-1"'],
        [clark('D', 'sync-token'), 'holidays-sync-1'],
        [privileges, privilegesXml(['read'])],
        [components, '<C:comp name="VEVENT"/>'],
        [clark('CS', 'source'), hrefXml(SUBSCRIBED_SOURCE)],
      ])
      if (quirks.omitSubscribedSource) props.delete(clark('CS', 'source'))
      return props
    }
  }
}
