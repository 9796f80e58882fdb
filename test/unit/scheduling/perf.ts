// Timing of computeSlots on the brief's load. Run: npx tsx test/unit/scheduling/perf.ts
import { computeSlots } from '../../../src/scheduling/slots.ts'
import { makePerfInput } from './perfFixture.ts'

for (const type of ['SERVICE', 'ROUND_ROBIN', 'COLLECTIVE', 'CLASS_BOOKING'] as const) {
  const input = makePerfInput()
  input.settings = { ...input.settings, type, seatsPerSlot: type === 'CLASS_BOOKING' ? 10 : null }
  const first = performance.now()
  const slots = computeSlots(input)
  const cold = performance.now() - first
  const times: number[] = []
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now()
    computeSlots(input)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.floor((times.length - 1) * p)]!.toFixed(3)
  console.log(
    `${type.padEnd(13)} slots=${String(slots.length).padStart(5)}  first call ${cold.toFixed(2)} ms` +
      `  warm median ${pct(0.5)} ms  p95 ${pct(0.95)} ms  max ${pct(1)} ms`,
  )
}
