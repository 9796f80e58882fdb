// Content-line handling (RFC 5545 §3.1) for output and for text-level patching of resources we did not write.

const CRLF = '\r\n'
const MAX_OCTETS = 75

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}

/** Folds one unfolded line at 75 octets (the continuation's leading space included), never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  if (line.length <= MAX_OCTETS / 4 || Buffer.byteLength(line) <= MAX_OCTETS) return line
  const parts: string[] = []
  let current = ''
  let octets = 0
  let limit = MAX_OCTETS
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0)!)
    if (octets + n > limit) {
      parts.push(current)
      current = ''
      octets = 0
      limit = MAX_OCTETS - 1
    }
    current += ch
    octets += n
  }
  parts.push(current)
  return parts.join(`${CRLF} `)
}

/** Re-folds ical.js output: ical.js folds by characters, which can exceed 75 octets with non-ASCII text. */
export function refold(text: string): string {
  const lines = text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((l) => l !== '')
  return lines.map(foldLine).join(CRLF) + CRLF
}

export interface ContentLine {
  /** The line as written, folds included (normalised to CRLF). */
  raw: string
  unfolded: string
  /** Upper-case property name (BEGIN/END for component delimiters). */
  name: string
}

export function splitContentLines(text: string): ContentLine[] {
  const out: ContentLine[] = []
  for (const physical of text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)) {
    const last = out[out.length - 1]
    if ((physical.startsWith(' ') || physical.startsWith('\t')) && last) {
      last.raw += CRLF + physical
      last.unfolded += physical.slice(1)
      continue
    }
    if (physical.trim() === '') continue
    const end = physical.search(/[;:]/)
    out.push({ raw: physical, unfolded: physical, name: (end < 0 ? physical : physical.slice(0, end)).toUpperCase() })
  }
  return out
}

/** The value after the first ':' outside double quotes. */
export function lineValue(line: ContentLine): string {
  let quoted = false
  for (let i = 0; i < line.unfolded.length; i++) {
    const ch = line.unfolded[i]
    if (ch === '"') quoted = !quoted
    else if (ch === ':' && !quoted) return line.unfolded.slice(i + 1)
  }
  return ''
}

export function joinContentLines(lines: ContentLine[]): string {
  return lines.map((l) => l.raw).join(CRLF) + CRLF
}

export function contentLine(unfolded: string): ContentLine {
  const end = unfolded.search(/[;:]/)
  return { raw: foldLine(unfolded), unfolded, name: unfolded.slice(0, end < 0 ? undefined : end).toUpperCase() }
}
