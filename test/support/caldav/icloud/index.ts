export { startICloudServer } from './server.ts'
export type { CutOffRequest, ICloudQuirks, ICloudTestAccount, ICloudTestServer } from './types.ts'
