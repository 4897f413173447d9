import 'reflect-metadata';
import { runDigest } from '../jobs/digest';
import { allowLargeScans } from '../src/services/jobs/job-runs';
import { createDataSource } from '../entities/data-source';
import { buildDigests } from '../src/services/digest/build';
import { BENCH_DATABASE_URL, parseFlags, stringFlag } from './lib/args';
import { runJobOnce } from './lib/job-run';
import { recording, savePlans, timed, type RecordedQuery } from './lib/queries';

/**
 * npm run bench:digest [-- --now 2026-11-23T04:00:00Z]
 *
 * Every leader's daily digest on the seeded province (province, cities,
 * counties, townships): first the data for all scopes in one set-based call
 * (buildDigests), then the digest job end to end
 * (jobs/digest.ts: data, markdown, one outbox row per leader; rows removed
 * afterwards). Plans of the slowest statements go to bench/plans/digest.txt.
 */
const TARGET_MS = 3_000;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const now = new Date(stringFlag(flags, 'now', '2026-11-23T04:00:00Z'));
  console.log(`# npm run bench:digest -- --now ${now.toISOString()} --database-url ${url}`);
  const ds = createDataSource({ url, applicationName: 'bench-digest' });
  await ds.initialize();
  try {
    const scopes: { id: number; level: number }[] = await ds.query(
      `SELECT DISTINCT r.id, r.level FROM cadres c JOIN regions r ON r.id = c.scope_region_id
        WHERE c.active AND c.role = '领导'`,
    );
    const byLevel = [0, 1, 2, 3].map((l) => scopes.filter((s) => s.level === l).length);
    console.log(`leader scopes: ${scopes.length} (province ${byLevel[0]}, cities ${byLevel[1]}, counties ${byLevel[2]}, townships ${byLevel[3]})`);

    const log: RecordedQuery[] = [];
    // As the job runs it: one transaction with the large-scan settings (src/services/jobs/job-runs.ts allowLargeScans).
    const data = await timed(() => ds.transaction(async (m) => {
      const rm = recording(m, log);
      await allowLargeScans(rm);
      return buildDigests(rm, scopes.map((s) => s.id), now, 'day');
    }));
    const inSql = log.reduce((s, q) => s + q.ms, 0);
    console.log(`digest data, all scopes (buildDigests): ${Math.round(data.ms)} ms, ${data.value.size} digests, ${log.length} statements taking ${Math.round(inSql)} ms, ${Math.round(data.ms - inSql)} ms in Node`);
    for (const q of [...log].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
      console.log(`  ${Math.round(q.ms).toString().padStart(6)} ms  ${q.sql.replace(/\s+/g, ' ').trim().slice(0, 110)}`);
    }
    const file = await savePlans(ds, 'digest', log, 3);
    console.log(`plans: ${file.replace(process.cwd() + '/', '')}`);

    const job = await runJobOnce(ds, 'digest', (deps) => runDigest(deps, now, 'day'));
    console.log(`digest job end to end (jobs/digest.ts): ${Math.round(job.ms)} ms, ${job.outboxRows} outbox rows, RSS ${job.rssMb} MB, summary ${JSON.stringify(job.summary)}`);
    const worst = Math.max(data.ms, job.ms);
    console.log(`\nevery leader's digest for one day: ${Math.round(worst)} ms (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'met' : 'MISSED'}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
