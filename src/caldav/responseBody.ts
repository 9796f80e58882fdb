// The text of an answer, decompressed: requests offer gzip, deflate and br (iCloud compresses large multistatus
// answers), and the pool hands bodies over as sent.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { CalDavError } from './errors.ts'

export const ACCEPT_ENCODING = 'gzip, deflate, br'

const DECODERS: Record<string, (compressed: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
}

export function decodeBody(raw: Buffer, contentEncoding: string | string[] | undefined): string {
  const encoding = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? ''))
    .trim()
    .toLowerCase()
  const decode = encoding === '' || encoding === 'identity' ? null : DECODERS[encoding]
  if (decode === undefined) throw new CalDavError(`answer in an unsupported content-encoding: ${encoding}`)
  const text = (decode ? decode(raw) : raw).toString('utf8')
  // As fetch's text() did: a byte order mark is not part of the document.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
