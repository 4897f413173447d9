import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import { runQuotaReminders } from '../jobs/quota-reminders';
import { allowLargeScans } from '../src/services/jobs/job-runs';
import { createDataSource } from '../entities/data-source';
import { householdsBehindByCadre, standingTargets, teamStanding, unitLinkStanding } from '../src/services/standing/cadre-standing';
import { BENCH_DATABASE_URL, parseFlags, stringFlag } from './lib/args';
import { runJobOnce } from './lib/job-run';
import { recording, savePlans, timed, type RecordedQuery } from './lib/queries';

/**
 * npm run bench:quota [-- --now 2026-11-23T04:00:00Z]
 *
 * The weekly quota scan on the seeded province: every unit↔village link, every
 * cadre↔household link and every resident team member against the rules,
 * behind-only, through the set-based src/services/standing/cadre-standing.ts
 * (what the quota-reminders job reads first: who is behind and by how much),
 * then the job itself end to end (every cadre's lines rendered and the messages
 * written to the outbox in SQL, src/services/standing/quota-messages.ts;
 * removed afterwards).
 * Plans go to bench/plans/quota-*.txt.
 */
const TARGET_MS = 10_000;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const now = new Date(stringFlag(flags, 'now', '2026-11-23T04:00:00Z'));
  console.log(`# npm run bench:quota -- --now ${now.toISOString()} --database-url ${url}`);
  const ds = createDataSource({ url, applicationName: 'bench-quota' });
  await ds.initialize();
  try {
    const links = (await ds.query(
      `SELECT (SELECT count(*) FROM cadre_household_links WHERE valid_to IS NULL)::int AS households,
              (SELECT count(*) FROM cadres WHERE active)::int AS cadres`,
    ))[0];
    console.log(`${links.cadres} active cadres, ${links.households} current cadre↔household links`);
    const targets = await standingTargets(ds);
    const parts: [string, (m: EntityManager) => Promise<unknown[]>, string][] = [
      ['unit↔village links', (m) => unitLinkStanding(m, now, targets, {}, true), 'links behind'],
      // per cadre behind, the count and the first five: the pass the job's first statement makes (quota-messages.ts)
      ['cadre↔household links', (m) => householdsBehindByCadre(m, now, targets, 5), 'cadres behind'],
      ['resident team members', (m) => teamStanding(m, now, targets, {}, true), 'members behind'],
    ];
    let total = 0;
    for (const [name, run, unit] of parts) {
      const log: RecordedQuery[] = [];
      // As the job runs them: one transaction with the large-scan settings (src/services/jobs/job-runs.ts allowLargeScans).
      const { ms, value } = await timed(() => ds.transaction(async (m) => {
        const rm = recording(m, log);
        await allowLargeScans(rm);
        return run(rm);
      }));
      total += ms;
      const sqlMs = log.reduce((s, q) => s + q.ms, 0);
      console.log(`${name.padEnd(24)} ${String(value.length).padStart(9)} ${unit}  ${Math.round(ms)} ms (SQL ${Math.round(sqlMs)} ms)`);
      const file = await savePlans(ds, `quota-${name.split(/[↔ ]/)[0]}-${name.split(/[↔ ]/)[1]}`, log, 1);
      console.log(`${''.padEnd(24)} plan: ${file.replace(process.cwd() + '/', '')}`);
    }
    console.log(`weekly quota scan, standing SQL total ${Math.round(total)} ms`);
    const job = await runJobOnce(ds, 'quota-reminders', (deps) => runQuotaReminders(deps, now));
    console.log(`quota-reminders job end to end (jobs/quota-reminders.ts): ${Math.round(job.ms)} ms, ${job.outboxRows} outbox rows, RSS ${job.rssMb} MB, summary ${JSON.stringify(job.summary)}`);
    // The target is the scan; the job also renders and writes one outbox row per cadre behind
    // (every cadre, on the seeded pace), which is fan-out work, reported above without a target.
    console.log(`\nweekly quota scan: ${Math.round(total)} ms (target < ${TARGET_MS} ms): ${total < TARGET_MS ? 'met' : 'MISSED'}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
