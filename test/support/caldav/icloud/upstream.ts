import { request } from 'node:http'

export interface UpstreamReply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export async function forward(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<UpstreamReply> {
  const url = new URL(path, origin)
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const out: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}
