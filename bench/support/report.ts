// Shared by the benchmarks: percentiles of samples and the machine a result was measured on.
import os from 'node:os'

export interface Stats {
  runs: number
  p50: number
  p90: number
  p95: number
  p99: number
  mean: number
  max: number
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
  const round = (x: number) => Math.round(x * 100) / 100
  return {
    runs: samples.length,
    p50: round(pick(0.5)),
    p90: round(pick(0.9)),
    p95: round(pick(0.95)),
    p99: round(pick(0.99)),
    mean: round(samples.reduce((s, x) => s + x, 0) / samples.length),
    max: round(sorted[sorted.length - 1]!),
  }
}

const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100)

/** Call at the start of a run; call `.end()` at its end for the record to write. */
export function machineRecord() {
  const loadAverageAtStart = loadAverage()
  return {
    end: () => ({
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
    }),
  }
}

export function machineLine(machine: ReturnType<ReturnType<typeof machineRecord>['end']>): string {
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, load average ` +
    `${machine.loadAverageAtStart.join(' / ')} at the start and ${machine.loadAverageAtEnd.join(' / ')} at the end ` +
    '(1, 5 and 15 minutes; the machine is shared, so compare ratios measured in the same run)'
  )
}
