import 'reflect-metadata';
import { loadCliConfig, runCli } from './common';
import { openDatabase } from '../../entities/data-source';
import { formatFailedOutbox, listFailedOutbox, retryFailedOutbox } from '../services/outbox/failed';

/**
 * `npm run outbox -- failed [--limit N]` lists messages WeCom refused for good,
 * with the reason; `npm run outbox -- retry <id…|all>` queues them again once
 * the cause is fixed. Exit 0 done, 1 failed, 2 bad usage.
 */

const USAGE = 'usage: npm run outbox -- failed [--limit N] | retry <id…|all>';

export type OutboxArgs = { cmd: 'failed'; limit: number } | { cmd: 'retry'; ids: number[] | 'all' } | { error: string };

export function parseOutboxArgs(argv: string[]): OutboxArgs {
  const [cmd, ...rest] = argv;
  if (cmd === 'failed') {
    if (rest.length === 0) return { cmd, limit: 50 };
    const n = Number(rest[0] === '--limit' ? rest[1] : rest[0]?.replace(/^--limit=/, ''));
    return Number.isInteger(n) && n > 0 && n <= 10000 ? { cmd, limit: n } : { error: `bad --limit: ${rest.join(' ')}` };
  }
  if (cmd === 'retry') {
    if (rest.length === 1 && rest[0] === 'all') return { cmd, ids: 'all' };
    const ids = rest.map(Number);
    return ids.length > 0 && ids.every((i) => Number.isInteger(i) && i > 0) ? { cmd, ids } : { error: 'retry needs row ids or "all"' };
  }
  return { error: cmd ? `unknown command: ${cmd}` : 'no command' };
}

async function main(argv: string[]): Promise<number> {
  const args = parseOutboxArgs(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}\n`);
    return 2;
  }
  const config = loadCliConfig();
  const db = await openDatabase({ url: config.databaseUrl, applicationName: 'shuanglian-outbox-cli' });
  try {
    if (args.cmd === 'failed') {
      process.stdout.write(formatFailedOutbox(await listFailedOutbox(db, { limit: args.limit })));
    } else {
      const ids = await retryFailedOutbox(db, args.ids);
      process.stdout.write(`${ids.length} row(s) queued again${ids.length ? `: ${ids.join(', ')}` : ''}\n`);
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

runCli(module, main, { describe: (e) => `outbox command failed: ${(e as Error).stack ?? String(e)}` });
