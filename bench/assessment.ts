import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { Region } from '../entities';
import { createDataSource } from '../entities/data-source';
import { assessRegion } from '../src/services/assessment/scores';
import { parsePeriod, quarterOf } from '../src/services/assessment/scheme';
import { BENCH_DATABASE_URL, numberFlag, parseFlags, stringFlag } from './lib/args';
import { recording, savePlans, timed, type RecordedQuery } from './lib/queries';

/**
 * npm run bench:assessment [-- --scope province|city|county|all --period 2026-Q4 --runs 3 --now 2026-11-23T04:00:00Z]
 *
 * The quarterly assessment (季考评, design §2 "Assessment") on the seeded
 * province, as the console's 考评 tab and its export ask for it
 * (assessRegion: every cadre's and unit's figures of the quarter from the day
 * rows and records, scores, 评议, ranks within township and county) for the
 * province, the city with the most households and the county with the most
 * households (default: all three). The period defaults to the quarter of
 * --now. Median of --runs after one warm-up, with the rows scored; plans of
 * the slowest statements go to bench/plans/. No target is set yet.
 */
const LEVELS = { province: 0, city: 1, county: 2 } as const;
type Scope = keyof typeof LEVELS;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const runs = numberFlag(flags, 'runs', 3);
  const now = new Date(stringFlag(flags, 'now', '2026-11-23T04:00:00Z'));
  const period = parsePeriod(stringFlag(flags, 'period', quarterOf(now)));
  const scope = stringFlag(flags, 'scope', 'all');
  if (scope !== 'all' && !(scope in LEVELS)) throw new Error(`--scope: province, city, county or all, not ${scope}`);
  const scopes = scope === 'all' ? (Object.keys(LEVELS) as Scope[]) : [scope as Scope];
  console.log(`# npm run bench:assessment -- --scope ${scope} --period ${period.key} --runs ${runs} --now ${now.toISOString()} --database-url ${url}`);
  const ds = createDataSource({ url, applicationName: 'bench-assessment' });
  await ds.initialize();
  try {
    for (const s of scopes) await benchScope(ds, s, period.key, runs);
  } finally {
    await ds.destroy();
  }
}

/** The region of the level with the most households (the province itself at level 0). */
async function largest(ds: DataSource, level: number): Promise<Region> {
  const [{ id }] = await ds.query(
    `SELECT k.id FROM regions k JOIN regions v ON v.path LIKE k.path || '%' AND v.level = 4
       JOIN households h ON h.village_id = v.id WHERE k.level = $1 GROUP BY k.id ORDER BY count(*) DESC LIMIT 1`,
    [level],
  );
  return ds.getRepository(Region).findOneByOrFail({ id });
}

async function benchScope(ds: DataSource, scope: Scope, periodKey: string, runs: number): Promise<void> {
  const region = await largest(ds, LEVELS[scope]);
  const period = parsePeriod(periodKey);
  const warm = await timed(() => assessRegion(ds, region, period));
  const ms: number[] = [];
  const log: RecordedQuery[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(() => assessRegion(recording(ds, log), region, period))).ms);
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const { cadres, units } = warm.value;
  const scored = (xs: { work: number }[]) => xs.filter((x) => x.work > 0).length;
  const file = await savePlans(ds, `assessment-${scope}`, log, 2);
  console.log(`${scope.padEnd(8)} ${region.fullName}: ${cadres.length} cadres (${scored(cadres)} with work), ${units.length} units (${scored(units)} with work)`);
  console.log(`         warm-up ${warm.ms} ms, median ${median} ms, max ${ms[ms.length - 1]} ms  (plan: ${file.replace(`${process.cwd()}/`, '')})`);
  const top = cadres.slice(0, 3).map((c) => `${c.name} ${c.total}`).join('; ');
  if (top) console.log(`         first listed: ${top}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
