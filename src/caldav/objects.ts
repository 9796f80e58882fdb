import { createObject, deleteObject as tsdavDelete, updateObject } from 'tsdav'
import { errorForStatus } from './errors.ts'
import type { HttpTransport } from './http.ts'

const ICS_TYPE = 'text/calendar; charset=utf-8'

export const getObject = async (
  t: HttpTransport,
  url: string,
): Promise<{ etag: string | null; data: string } | null> => {
  const res = await t.request('GET', url, { headers: { Accept: 'text/calendar' } })
  if (res.status === 404 || res.status === 410) return null
  if (res.status !== 200) throw errorForStatus(res.status, 'GET', url)
  return { etag: res.headers.get('etag'), data: res.body }
}

export type PutPrecondition = { ifNoneMatch: '*' } | { ifMatch: string }

/**
 * PUT with If-None-Match: * (create) or If-Match (update), RFC 4791 §5.3.2. The ETag is null when the server omits it
 * (iCloud sometimes does, and RFC 4791 §5.3.4 requires omitting it when the stored data differs from what was sent).
 */
export const putObject = async (
  t: HttpTransport,
  url: string,
  ics: string,
  precondition: PutPrecondition,
): Promise<{ etag: string | null }> => {
  const res =
    'ifMatch' in precondition
      ? await updateObject({
          url,
          data: ics,
          etag: precondition.ifMatch,
          headers: { 'content-type': ICS_TYPE },
          fetch: t.fetch,
        })
      : await createObject({
          url,
          data: ics,
          headers: { 'content-type': ICS_TYPE, 'If-None-Match': '*' },
          fetch: t.fetch,
        })
  if (res.status < 200 || res.status > 299) throw errorForStatus(res.status, 'PUT', url)
  return { etag: res.headers.get('etag') }
}

/** DELETE, optionally conditional; a resource already gone counts as deleted. */
export const deleteObject = async (t: HttpTransport, url: string, ifMatch?: string): Promise<void> => {
  const res = await tsdavDelete({ url, etag: ifMatch, fetch: t.fetch })
  if (res.status === 404 || res.status === 410) return
  if (res.status < 200 || res.status > 299) throw errorForStatus(res.status, 'DELETE', url)
}
