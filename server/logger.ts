import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; `silent` in tests. */
export function createLogger(level: LevelWithSilent): Logger {
  return pino({ name: 'ringlet', level, base: { service: 'ringlet' } });
}
