// The text of an answer, decompressed: requests offer gzip, deflate and br (iCloud compresses large multistatus
// answers), and the pool hands bodies over as sent.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { Dispatcher } from 'undici'
import { CalDavError } from './errors.ts'

export const ACCEPT_ENCODING = 'gzip, deflate, br'

const DECODERS: Record<string, (compressed: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
}

export async function readBodyText(res: Dispatcher.ResponseData): Promise<string> {
  const header = res.headers['content-encoding']
  const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return res.body.text()
  const decode = DECODERS[encoding]
  if (!decode) {
    await res.body.dump()
    throw new CalDavError(`answer in an unsupported content-encoding: ${encoding}`)
  }
  return decode(Buffer.from(await res.body.arrayBuffer())).toString('utf8')
}
