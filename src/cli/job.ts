import 'reflect-metadata';
import { Clock, systemClock } from '../lib/db';
import { loadCliConfig, runCli } from './common';
import { createLogger } from '../lib/logger';
import { openDatabase } from '../../entities/data-source';
import { PROCESSORS } from '../../jobs/processors';
import type { DigestPeriod } from '../services/digest/periods';
import type { DataSource } from 'typeorm';
import type { Logger } from '../lib/logger';
import { createOutboxDispatcher } from '../services/outbox/dispatch';
import type { JobDeps, JobSummary } from '../services/jobs/job-runs';

/**
 * `npm run job -- <name> [--now 2026-11-23T20:00:00+08:00]` runs one scheduled
 * job now, in this process (docs/design.md §4). Jobs are idempotent per period, so
 * running one that already ran reports "skipped". Messages go to the outbox and
 * are handed to delivery when the job commits, as in the worker; the worker's
 * sweeper delivers them if Redis cannot be reached. Exit 0 done, 1 failed, 2 bad usage.
 */

const RUNNABLE = {
  digest: { job: 'digest', period: 'day' },
  'digest-week': { job: 'digest', period: 'week' },
  'digest-month': { job: 'digest', period: 'month' },
  'digest-quarter': { job: 'digest', period: 'quarter' },
  'digest-year': { job: 'digest', period: 'year' },
  'quota-reminders': { job: 'quota-reminders' },
  'festival-reminders': { job: 'festival-reminders' },
  'notice-followup': { job: 'notice-followup' },
  'overdue-problems': { job: 'overdue-problems' },
  'must-visit-reminders': { job: 'must-visit-reminders' },
  'auto-checkout': { job: 'auto-checkout' },
  retention: { job: 'retention' },
} as const satisfies Record<string, { job: keyof typeof PROCESSORS; period?: DigestPeriod }>;

const USAGE = `usage: npm run job -- <${Object.keys(RUNNABLE).join('|')}> [--now <ISO time with offset>]`;

export type JobArgs = { name: keyof typeof RUNNABLE; now: Date } | { error: string };

export function parseJobArgs(argv: string[], clock: Clock = systemClock): JobArgs {
  const [name, ...rest] = argv;
  if (!name || !(name in RUNNABLE)) return { error: name ? `unknown job: ${name}` : 'no job named' };
  let now = clock();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = a.startsWith('--now=') ? a.slice(6) : a === '--now' ? rest[++i] : undefined;
    if (value === undefined) return { error: `unknown argument: ${a}` };
    // An offset is required: a bare local time would silently depend on the machine's zone.
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(value) || Number.isNaN(Date.parse(value))) {
      return { error: `--now needs an ISO time with an offset, e.g. 2026-11-23T20:00:00+08:00 (got ${value})` };
    }
    now = new Date(value);
  }
  return { name: name as keyof typeof RUNNABLE, now };
}

async function main(argv: string[]): Promise<number> {
  const args = parseJobArgs(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}\n`);
    return 2;
  }
  const config = loadCliConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase({ url: config.databaseUrl, applicationName: 'shuanglian-job' });
  try {
    const summary = await runJobCommand(args, { db, logger, redisUrl: config.redisUrl, publicUrl: config.publicUrl });
    process.stdout.write(`${args.name} @ ${args.now.toISOString()}: ${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

/** Runs the named job with an outbox dispatcher of its own, so its messages leave when it commits. */
export async function runJobCommand(
  args: { name: keyof typeof RUNNABLE; now: Date },
  deps: { db: DataSource; logger: Logger; redisUrl: string; prefix?: string; publicUrl?: string },
): Promise<JobSummary> {
  const outbox = createOutboxDispatcher(deps);
  try {
    const spec: { job: keyof typeof PROCESSORS; period?: DigestPeriod } = RUNNABLE[args.name];
    const run = PROCESSORS[spec.job] as (d: JobDeps, n: Date, data: object) => Promise<JobSummary>;
    return await run({ db: deps.db, logger: deps.logger, dispatch: outbox.dispatch, publicUrl: deps.publicUrl }, args.now, spec.period ? { period: spec.period } : {});
  } finally {
    await outbox.close();
  }
}

runCli(module, main, { describe: (e) => `job failed: ${(e as Error).stack ?? String(e)}` });
