// A loopback CalDAV server for the freshness benchmark, run as its own process (its CPU is not the worker's): every
// answer comes `LATENCY_MS` (default 150) late, like iCloud over the internet, and every calendar is unchanged, so a
// sync-collection with any token answers no changes and the same token. Prints its port on stdout.
import http from 'node:http'

const latencyMs = Number(process.env.LATENCY_MS ?? 150)
const UNCHANGED = `<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:"><d:sync-token>https://bench.invalid/sync/1</d:sync-token></d:multistatus>`
let answered = 0

const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    setTimeout(() => {
      answered++
      res.writeHead(207, {
        'content-type': 'application/xml; charset=utf-8',
        'content-length': Buffer.byteLength(UNCHANGED),
      })
      res.end(UNCHANGED)
    }, latencyMs)
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 130_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object') process.stdout.write(`${address.port}\n`)
})
process.on('message', () => process.send?.({ answered, cpu: process.cpuUsage() }))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
