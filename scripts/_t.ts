import { PGlite } from '@electric-sql/pglite'
import { writeFile, readFile } from 'node:fs/promises'
let t = Date.now()
const db = await PGlite.create('memory://')
console.log('pglite create', Date.now() - t); t = Date.now()
await db.exec('create table x (a int)')
const dump = await db.dumpDataDir('none')
await writeFile('/tmp/pg.tar', Buffer.from(await dump.arrayBuffer()))
console.log('dump', Date.now() - t); t = Date.now()
await db.close()
const buf = await readFile('/tmp/pg.tar')
const db2 = await PGlite.create('memory://', { loadDataDir: new Blob([buf]) })
console.log('load', Date.now() - t, await db2.query('select count(*) from x'))
