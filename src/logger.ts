import { pino, type Logger } from 'pino'

/** Paths that must never reach a log line, wherever they appear in a logged object. */
const redactedPaths = [
  'password',
  '*.password',
  'appSpecificPassword',
  '*.appSpecificPassword',
  '*.*.appSpecificPassword',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'token',
  '*.token',
  'credentials',
  '*.credentials',
  'credentialCiphertext',
  '*.credentialCiphertext',
  'variables',
  '*.variables',
]

export type { Logger }

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { service: 'icloud-scheduling-api' } },
    destination,
  )
}
