export { startICloudServer, type StartICloudServerOptions } from './server.ts'
export type {
  AddAccountOptions,
  AddCalendarOptions,
  CutOffRequest,
  HostKind,
  ICloudQuirks,
  ICloudTestAccount,
  ICloudTestServer,
  RecordedRequest,
} from './types.ts'
