import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { Cadre, Region } from '../entities';
import { createDataSource } from '../entities/data-source';
import { activitySeries } from '../src/services/console/activity';
import { coverage } from '../src/services/console/coverage';
import { ledgerPage, ledgerSummary } from '../src/services/console/ledger';
import { noticesPage } from '../src/services/console/notices';
import { resolveViewer, scopeTree } from '../src/services/console/scope';
import { cadreStanding, unitStanding } from '../src/services/standing/console-standing';
import { workSummary } from '../src/services/console/week-work';
import { rankings } from '../src/services/console/rankings';
import { thisWeek, villageMap } from '../src/services/console/map';
import { mustVisitsPage } from '../src/services/console/must-visits';
import { recordPage } from '../src/services/console/record-lists';
import { subjectHead } from '../src/services/console/record-subjects';
import { noticeHead, noticeRecipients } from '../src/services/console/notice-detail';
import { addDays, shanghaiDate, shanghaiYearRange } from '../src/lib/time';
import { BENCH_DATABASE_URL, numberFlag, parseFlags, stringFlag } from './lib/args';
import { recording, savePlans, timed, type RecordedQuery } from './lib/queries';

/**
 * npm run bench:console [-- --scope province|city|county --runs 5 --now 2026-11-23T04:00:00Z]
 *
 * The console's pages on the seeded province for one scope — the province, the
 * city with the most households or the county with the most households
 * (default) — as its leader sees them, through the console services the API routes call: the
 * overview the page loads first (/tree, /coverage, /problems in parallel, as
 * public/console does) and each other tab's first request. Median of --runs
 * after one warm-up; plans of the slowest statements go to bench/plans/.
 */
const TARGET_MS = 200;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = stringFlag(flags, 'database-url', BENCH_DATABASE_URL);
  const runs = numberFlag(flags, 'runs', 5);
  const now = new Date(stringFlag(flags, 'now', '2026-11-23T04:00:00Z'));
  const scope = stringFlag(flags, 'scope', 'county');
  if (!(scope in LEVELS)) throw new Error(`--scope: province, city or county, not ${scope}`);
  console.log(`# npm run bench:console -- --scope ${scope} --runs ${runs} --now ${now.toISOString()} --database-url ${url}`);
  const ds = createDataSource({ url, applicationName: 'bench-console' });
  await ds.initialize();
  try {
    await benchScope(ds, LEVELS[scope as keyof typeof LEVELS], runs, now);
  } finally {
    await ds.destroy();
  }
}

const LEVELS = { province: 0, city: 1, county: 2 } as const;

async function benchScope(ds: DataSource, level: number, runs: number, now: Date): Promise<void> {
  const [{ id }] = await ds.query(
    `SELECT k.id FROM regions k JOIN regions v ON v.path LIKE k.path || '%' AND v.level = 4
       JOIN households h ON h.village_id = v.id WHERE k.level = $1 GROUP BY k.id ORDER BY count(*) DESC LIMIT 1`,
    [level],
  );
  const county = await ds.getRepository(Region).findOneByOrFail({ id });
  // The province's own leader, or an admin when the roster gives the province none.
  const leader = await ds.getRepository(Cadre).findOne({ where: { scopeRegionId: county.id, role: '领导' } })
    ?? await ds.getRepository(Cadre).findOneOrFail({ where: { role: '管理员' } });
  const counts = (await ds.query(
    `SELECT count(DISTINCT v.id)::int AS villages, count(h.id)::int AS households FROM regions v
       LEFT JOIN households h ON h.village_id = v.id WHERE v.path LIKE $1 AND v.level = 4`, [`${county.path}%`],
  ))[0];
  console.log(`scope ${county.fullName}: ${counts.villages} villages, ${counts.households} households`);

  const page = { limit: 20, offset: 0 };
  const year = shanghaiYearRange(now);
  const week = thisWeek(now);
  // The record page of the scope's village with the most check-ins, and the detail of its largest notice.
  const [busiest]: { id: number; name: string }[] = await ds.query(
    `SELECT r.id, r.name FROM regions r JOIN visits v ON v.village_id = r.id
      WHERE r.path LIKE $1 AND r.level = 4 GROUP BY r.id ORDER BY count(*) DESC LIMIT 1`, [`${county.path}%`]);
  const [notice]: { id: number; recipients: number }[] = await ds.query(
    `SELECT n.id, count(*)::int AS recipients FROM notices n JOIN regions r ON r.id = n.scope_region_id
       JOIN notice_recipients nr ON nr.notice_id = n.id
      WHERE r.path LIKE $1 GROUP BY n.id ORDER BY count(*) DESC LIMIT 1`, [`${county.path}%`]);
  const weekAgo = addDays(shanghaiDate(now), -7);
  const cases: [string, (db: DataSource) => Promise<unknown>][] = [
    ['overview page (tree + coverage + problems, parallel)', async (db) => {
      const viewer = await resolveViewer(db, leader);
      await Promise.all([
        scopeTree(db, viewer, county),
        coverage(db, county, now),
        ledgerPage(db, county, {}, now, { limit: 1, offset: 0 }),
        ledgerSummary(db, county, now),
      ]);
    }],
    ['/coverage', (db) => coverage(db, county, now)],
    ['/problems (page + summary)', (db) => Promise.all([ledgerPage(db, county, {}, now, page), ledgerSummary(db, county, now)])],
    ['/activity (year, by month)', (db) => activitySeries(db, county, year, 'month')],
    ['/activity (year, by day)', (db) => activitySeries(db, county, year, 'day')],
    ['/standing by unit (behind first)', (db) => unitStanding(db, county, now, { sort: 'behind', behindOnly: false, ...page })],
    ['/standing by cadre (behind first)', (db) => cadreStanding(db, county, now, { sort: 'behind', behindOnly: false, ...page })],
    // A range ending a week ago: year-to-date as of that day, from the per-day rows.
    ['/standing by unit, as of a week ago', (db) => unitStanding(db, county, now, { sort: 'behind', behindOnly: false, ...page }, weekAgo)],
    ['/standing by cadre, as of a week ago', (db) => cadreStanding(db, county, now, { sort: 'behind', behindOnly: false, ...page }, weekAgo)],
    ['/notices', (db) => noticesPage(db, county, page)],
    ['/work (this week: figures + rankings)', (db) => Promise.all([workSummary(db, county, week), rankings(db, county, week, now)])],
    ['/map (this week, by check-in)', (db) => villageMap(db, county, week, { by: 'checkin', now })],
    ['/map (by pace)', (db) => villageMap(db, county, week, { by: 'pace', now })],
    ['/must-visits (year)', (db) => mustVisitsPage(db, county, year, now)],
    [`village page (${busiest.name}: head + year's check-ins)`, (db) => Promise.all([
      subjectHead(db, 'village', busiest.id, now), recordPage(db, 'village', busiest.id, 'visits', year, page)])],
    [`notice detail (${notice ? `${notice.recipients} recipients` : 'no notice'}: head + not acknowledged)`, (db) => notice
      ? Promise.all([noticeHead(db, notice.id, now), noticeRecipients(db, notice.id, 'pending', page, now)])
      : Promise.resolve()],
  ];
  const results: { name: string; median: number; max: number }[] = [];
  for (const [name, fn] of cases) {
    await fn(ds); // warm-up
    const ms: number[] = [];
    const log: RecordedQuery[] = [];
    for (let i = 0; i < runs; i++) ms.push((await timed(() => fn(recording(ds, log)))).ms);
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)];
    results.push({ name, median, max: ms[ms.length - 1] });
    const file = await savePlans(ds, `console-${Object.keys(LEVELS)[level]}-${slug(name)}`, log, 2);
    console.log(`${name.padEnd(52)} median ${String(median).padStart(7)} ms  max ${ms[ms.length - 1]} ms  ${median < TARGET_MS ? 'ok' : 'OVER'}  (plan: ${file.replace(process.cwd() + '/', '')})`);
  }
  const over = results.filter((r) => r.median >= TARGET_MS);
  console.log(`\ntarget < ${TARGET_MS} ms per request: ${over.length === 0 ? 'met by all' : `missed by ${over.map((r) => r.name).join('; ')}`}`);
}

function slug(s: string): string {
  return s.replace(/[^a-z]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
