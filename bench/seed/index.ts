import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { openDatabase } from '../../entities/data-source';
import { seedClock, type SeedClock } from './clock';
import { copyRows, type Cell } from './copy';
import {
  DIARY_COLUMNS, NOTICE_COLUMNS, NOTICE_RECIPIENT_COLUMNS, PROBLEM_COLUMNS, PROBLEM_EVENT_COLUMNS,
  diaryRows, noticeRecipientRows, noticeRows, problemEventRows, problemRows,
} from './ledger';
import { CADRE_COLUMNS, HOUSEHOLD_COLUMNS, HOUSEHOLD_LINK_COLUMNS, cadreRows, householdLinkRows, householdRows } from './people';
import {
  GROUP_COLUMNS, REGION_COLUMNS, UNIT_COLUMNS, UNIT_LINK_COLUMNS, VILLAGE_COLUMNS,
  groupRows, regionRows, unitLinkRows, unitRows, villageRows,
} from './places';
import { createRand } from '../lib/rng';
import { Shape, type SeedSizes } from './shape';
import { HOUSEHOLD_VISIT_COLUMNS, VISIT_COLUMNS, householdVisitRows, visitRows } from './visits';

export { Shape, type SeedSizes } from './shape';
export { cadreUserid } from './people';
export { villageNameOf } from './places';

export interface SeedOptions {
  databaseUrl: string;
  sizes: SeedSizes;
  seed: number;
  now: Date;
  /** Drop and recreate the database first (the bench default); otherwise empty the tables. */
  recreate: boolean;
  progress: boolean;
  log?: (line: string) => void;
}

export interface SeedReport {
  tables: { table: string; rows: number; seconds: number }[];
  indexSeconds: number;
  vacuumSeconds: number;
  totalSeconds: number;
}

interface TablePlan {
  table: string;
  columns: string[];
  estimate: number;
  rows: () => Iterable<Cell[]>;
}

/** Tables in dependency order (foreign-key triggers are off during the load, the order keeps it readable). */
function plan(shape: Shape, clock: SeedClock, seed: number): TablePlan[] {
  const r = (stream: number) => createRand(seed, stream);
  const s = shape.sizes;
  const perTownship = (shape.ganbu + shape.team) / shape.townships;
  return [
    { table: 'regions', columns: REGION_COLUMNS, estimate: shape.regionCount, rows: () => regionRows(shape) },
    { table: 'villages', columns: VILLAGE_COLUMNS, estimate: shape.villages, rows: () => villageRows(shape, r(1)) },
    { table: 'units', columns: UNIT_COLUMNS, estimate: shape.units, rows: () => unitRows(shape) },
    { table: 'unit_village_links', columns: UNIT_LINK_COLUMNS, estimate: shape.villages, rows: () => unitLinkRows(shape, clock) },
    { table: 'groups', columns: GROUP_COLUMNS, estimate: shape.counties, rows: () => groupRows(shape) },
    { table: 'cadres', columns: CADRE_COLUMNS, estimate: s.cadres, rows: () => cadreRows(shape, r(2)) },
    { table: 'households', columns: HOUSEHOLD_COLUMNS, estimate: s.households, rows: () => householdRows(shape, r(3)) },
    { table: 'cadre_household_links', columns: HOUSEHOLD_LINK_COLUMNS, estimate: s.households, rows: () => householdLinkRows(shape, clock) },
    { table: 'visits', columns: VISIT_COLUMNS, estimate: s.visits, rows: () => visitRows(shape, clock, r(4), r(1)) },
    { table: 'household_visits', columns: HOUSEHOLD_VISIT_COLUMNS, estimate: s.householdVisits, rows: () => householdVisitRows(shape, clock, r(5), r(4)) },
    { table: 'diary_entries', columns: DIARY_COLUMNS, estimate: s.diaries, rows: () => diaryRows(shape, clock, r(6)) },
    { table: 'problems', columns: PROBLEM_COLUMNS, estimate: s.problems, rows: () => problemRows(shape, clock, r(7)) },
    { table: 'problem_events', columns: PROBLEM_EVENT_COLUMNS, estimate: Math.round(s.problems * 1.7), rows: () => problemEventRows(shape, clock, r(7)) },
    { table: 'notices', columns: NOTICE_COLUMNS, estimate: s.notices, rows: () => noticeRows(shape, clock, r(8)) },
    { table: 'notice_recipients', columns: NOTICE_RECIPIENT_COLUMNS, estimate: Math.round(s.notices * perTownship), rows: () => noticeRecipientRows(shape, clock, r(9), r(8)) },
  ];
}

const elapsed = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

/** Generates the province into the database with COPY; deterministic for a given seed and now. */
export async function runSeed(o: SeedOptions): Promise<SeedReport> {
  const log = o.log ?? (() => undefined);
  const t0 = performance.now();
  const shape = new Shape(o.sizes);
  const clock = seedClock(o.now);
  if (o.recreate) await dropDatabase(o.databaseUrl);
  const ds = await openDatabase({ url: o.databaseUrl, applicationName: 'bench-seed', poolSize: 2 });
  await ds.destroy();

  const client = new Client({ connectionString: o.databaseUrl, application_name: 'bench-seed' });
  await client.connect();
  try {
    // Bulk-load settings for this session only: no FK triggers (checked by the seed test instead), big sort memory.
    await client.query("SET session_replication_role = replica; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off");
    const tables = plan(shape, clock, o.seed);
    const names = tables.map((t) => t.table);
    if (!o.recreate) await client.query(`TRUNCATE ${names.join(', ')} RESTART IDENTITY CASCADE`);
    const indexes = await dropSecondaryIndexes(client, names);
    log(`shape: ${shape.cities} cities, ${shape.counties} counties, ${shape.townships} townships, ${shape.villages} villages, ${shape.units} units, ${shape.leaders} leaders, ${shape.team} team, ${shape.ganbu} 干部`);

    const bar = new SingleBar({
      format: 'seed [{bar}] {percentage}% | {value}/{total} rows | {table} | {duration_formatted} (ETA {eta_formatted})',
      etaBuffer: 200,
    });
    // cli-progress draws only on a terminal; under nohup print a line every 15 s instead
    const tty = process.stdout.isTTY === true;
    let lastLine = performance.now();
    let done = 0;
    const advance = (n: number) => {
      done += n;
      if (tty) bar.increment(n);
      else if (performance.now() - lastLine > 15_000) {
        lastLine = performance.now();
        log(`seed: ${done} rows copied, ${elapsed(t0)}s`);
      }
    };
    if (o.progress && tty) bar.start(tables.reduce((n, t) => n + t.estimate, 0), 0, { table: '' });
    const report: SeedReport = { tables: [], indexSeconds: 0, vacuumSeconds: 0, totalSeconds: 0 };
    for (const t of tables) {
      const t1 = performance.now();
      if (o.progress && tty) bar.update({ table: t.table });
      else log(`seed: ${t.table}…`);
      const rows = await copyRows(client, t.table, t.columns, t.rows(), (n) => o.progress && advance(n));
      if (o.progress && tty) bar.setTotal(bar.getTotal() - t.estimate + rows);
      report.tables.push({ table: t.table, rows, seconds: elapsed(t1) });
    }
    if (o.progress && tty) bar.stop();

    // The load bypassed the counting triggers (migrations 1763857500000, 1763857700000): every
    // count from the raw rows, before the secondary indexes are built again — the rebuild writes
    // a unit and a link into every check-in, and with the indexes in place each rewritten row is
    // an insert into each of them at a random place.
    const counts = performance.now();
    await client.query('ANALYZE visits, household_visits, cadres, unit_village_links, cadre_household_links, households');
    await client.query('SELECT counts_rebuild()');
    log(`counts rebuilt in ${elapsed(counts)}s`);

    const t2 = performance.now();
    for (const def of indexes) await client.query(def);
    for (const t of tables.filter((x) => x.columns[0] === 'id').map((x) => x.table)) {
      await client.query(
        `SELECT setval(s, (SELECT coalesce(max(id), 0) + 1 FROM ${t}), false)
           FROM pg_get_serial_sequence($1, 'id') AS s WHERE s IS NOT NULL`,
        [t],
      );
    }
    report.indexSeconds = elapsed(t2);
    log(`indexes rebuilt in ${report.indexSeconds}s`);

    // Village order for the links, as migration 1763857200000 leaves them (the load wrote them by cadre).
    const cluster = performance.now();
    await client.query('CLUSTER cadre_household_links USING cadre_household_links_village_idx');
    log(`links clustered by village in ${elapsed(cluster)}s`);
    const t3 = performance.now();
    // Every table, the count tables the rebuild filled included: statistics taken before the
    // rebuild say they are empty, and the planner then probes millions of rows one by one.
    await client.query('VACUUM (ANALYZE)');
    report.vacuumSeconds = elapsed(t3);
    report.totalSeconds = elapsed(t0);
    return report;
  } finally {
    await client.end();
  }
}

/** Drops the non-constraint indexes of the tables and returns their CREATE statements (built once after COPY). */
async function dropSecondaryIndexes(client: Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const r of rows) await client.query(`DROP INDEX "${r.name}"`);
  return rows.map((r) => r.def);
}

async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name must be letters, digits or _: ${name}`);
  target.pathname = '/postgres';
  const admin = new Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
