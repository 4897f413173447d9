import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One root logger per process; areas take a child (`logger.child({ area: 'callback' })`).
 * The redact list is a safety net: code never passes message text or secrets to a log call.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          '*.secret', '*.token', '*.access_token', '*.encodingAesKey', '*.Content', '*.content',
          'secret', 'token', 'access_token', 'encodingAesKey', 'content', 'Content', 'text',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
