import { readFileSync } from 'node:fs'

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/ical/${name}`, import.meta.url), 'utf8')
}

/** Logical (unfolded) content lines of an iCalendar text. */
export function unfoldLines(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l !== '')
}

export interface ParsedLine {
  name: string
  params: Record<string, string>
  value: string
}

/** A minimal content-line parser for assertions (quoted parameter values, no multi-valued parameters). */
export function parseLine(line: string): ParsedLine {
  let i = 0
  const read = (stops: string): string => {
    let out = ''
    let quoted = false
    for (; i < line.length; i++) {
      const ch = line[i]!
      if (ch === '"') quoted = !quoted
      else if (!quoted && stops.includes(ch)) break
      else out += ch
    }
    return out
  }
  const name = read(';:').toUpperCase()
  const params: Record<string, string> = {}
  while (line[i] === ';') {
    i++
    const key = read('=').toUpperCase()
    i++
    params[key] = read(';:')
  }
  return { name, params, value: line.slice(i + 1) }
}

/** Content lines of the first VEVENT (its own properties, not those of VALARMs inside it). */
export function eventLines(text: string): ParsedLine[] {
  const out: ParsedLine[] = []
  let depth = 0
  let inEvent = false
  for (const line of unfoldLines(text)) {
    if (line === 'BEGIN:VEVENT' && !inEvent && out.length === 0) {
      inEvent = true
      continue
    }
    if (!inEvent) continue
    if (line.startsWith('BEGIN:')) depth++
    else if (line.startsWith('END:')) {
      if (depth === 0) break
      depth--
    } else if (depth === 0) out.push(parseLine(line))
  }
  return out
}
