export { startICloudServer, type StartICloudServerOptions } from './server.ts'
export type {
  AddAccountOptions,
  AddCalendarOptions,
  HostKind,
  ICloudQuirks,
  ICloudTestAccount,
  ICloudTestServer,
  RecordedRequest,
} from './types.ts'
