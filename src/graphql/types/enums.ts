import { builder } from '../builder.ts'
import {
  AppointmentStatus,
  BlockedSlotSource,
  BusyStatus,
  CalendarProvider,
  CrmCalendarType,
  IntegrationStatus,
  RemoteCalendarKind,
  Role,
  SyncOutcome,
  SyncTrigger,
  WriteBackState,
} from '../../generated/prisma/enums.ts'

export const RoleEnum = builder.enumType(Role, { name: 'Role' })
export const CalendarProviderEnum = builder.enumType(CalendarProvider, { name: 'CalendarProvider' })
export const IntegrationStatusEnum = builder.enumType(IntegrationStatus, {
  name: 'IntegrationStatus',
  description: 'CONNECTED: syncing. NEEDS_REAUTH: iCloud refused the password; reconnect. ERROR: repeated failures.',
})
export const RemoteCalendarKindEnum = builder.enumType(RemoteCalendarKind, { name: 'RemoteCalendarKind' })
export const BusyStatusEnum = builder.enumType(BusyStatus, {
  name: 'BusyStatus',
  description: 'BUSY blocks availability; FREE is shown but leaves availability open.',
})
export const BlockedSlotSourceEnum = builder.enumType(BlockedSlotSource, { name: 'BlockedSlotSource' })
export const CrmCalendarTypeEnum = builder.enumType(CrmCalendarType, { name: 'CrmCalendarType' })
export const AppointmentStatusEnum = builder.enumType(AppointmentStatus, { name: 'AppointmentStatus' })
export const WriteBackStateEnum = builder.enumType(WriteBackState, {
  name: 'WriteBackState',
  description: 'Where the appointment stands on the linked iCloud calendar.',
})
export const SyncTriggerEnum = builder.enumType(SyncTrigger, { name: 'SyncTrigger' })
export const SyncOutcomeEnum = builder.enumType(SyncOutcome, { name: 'SyncOutcome' })
