import { createLogger, type Logger } from '../../src/lib/logger';

/** A real pino logger (the app's redaction included) writing JSON lines into memory. */
export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, raw. */
  text(): string;
  /** Parsed lines, optionally only those whose msg equals `msg`. */
  lines(msg?: string): Record<string, unknown>[];
  clear(): void;
}

export function captureLog(level = 'info'): CapturedLog {
  let chunks: string[] = [];
  const logger = createLogger(level, { write: (s: string) => void chunks.push(s) });
  const parsed = () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    logger,
    text: () => chunks.join(''),
    lines: (msg) => parsed().filter((l) => msg === undefined || l.msg === msg),
    clear: () => { chunks = []; },
  };
}
