// CPU time of other processes, read from /proc (Linux): the freshness benchmark splits a sync's CPU between the
// worker, the loopback CalDAV server and the PostgreSQL backends serving the worker's connections.
import { readFileSync } from 'node:fs'
import type { PrismaClient } from '../../src/generated/prisma/client.ts'

/** Kernel clock ticks per second (USER_HZ): 100 on every common Linux build. */
const TICKS_PER_SECOND = 100

/** utime + stime of a process in ms; 0 when it is gone or /proc is not there. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces: fields after it are counted from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/** The server-side pids of the connections that name themselves `applicationName` (pg_stat_activity). */
export async function backendPids(prisma: PrismaClient, applicationName: string): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE application_name = ${applicationName}`
  return rows.map((row) => row.pid)
}

/** CPU of a set of processes that may grow while it is measured (a pool opening connections): new ones count whole. */
export class CpuMeter {
  private readonly start = new Map<number, number>()

  constructor(pids: number[]) {
    for (const pid of pids) this.start.set(pid, processCpuMs(pid))
  }

  /** ms spent since construction by the given processes (those seen at the start and any new ones). */
  spentMs(pids: number[]): number {
    const all = new Set([...this.start.keys(), ...pids])
    let total = 0
    for (const pid of all) total += Math.max(0, processCpuMs(pid) - (this.start.get(pid) ?? 0))
    return total
  }
}
