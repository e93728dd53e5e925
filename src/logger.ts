import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/**
 * The server log: one JSON object per line on stdout. What goes in is chosen
 * at each call site (ids, codes, counts, durations); personal data, tokens and
 * driver messages never do. The redaction below is a second line of defence
 * for a header object logged by mistake.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'privacy-gateway' },
      redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
    },
    destination,
  );
}
