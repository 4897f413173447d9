import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createTestDb, type TestDb } from '../helpers/db';
import { IDS, addVisit, seedJobsRoster } from '../helpers/jobs-seed';

/**
 * The check-in tallies of 联村 links and cadres (migration 1763857100000), kept
 * by triggers for every writer: check-ins recorded, closed, revoked, deleted and
 * moved, cadres changing unit, links opened or moved to a later start, and two
 * cadres of one unit checking in at once. The expected figures are counted here
 * from the visits table by the rules of docs/design.md §2, independently of the SQL.
 */

let t: TestDb;
let db: DataSource;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await seedJobsRoster(db);
});
afterAll(async () => t?.drop());

interface LinkTally { unit_id: number; village_id: number; tally_year: number | null; tally_visits: number; tally_days: number }
interface CadreTally { id: number; tally_year: number | null; tally_days_on_site: number; tally_days_resident: number }

const linkTallies = (): Promise<LinkTally[]> => db.query(
  'SELECT unit_id, village_id, tally_year, tally_visits, tally_days FROM unit_village_links ORDER BY id');
const cadreTallies = (): Promise<CadreTally[]> => db.query(
  'SELECT id, tally_year, tally_days_on_site, tally_days_resident FROM cadres ORDER BY id');
const linkOf = async (unit: number, village: number) => (await linkTallies()).find((l) => l.unit_id === unit && l.village_id === village)!;
const cadreOf = async (id: number) => (await cadreTallies()).find((c) => c.id === id)!;

async function reset(): Promise<void> {
  await db.query('DELETE FROM visits');
  await db.query('UPDATE cadres SET unit_id = CASE id WHEN 3 THEN 2 ELSE 1 END WHERE id IN (1, 2, 3)');
  await db.query(`UPDATE unit_village_links SET valid_from = CASE unit_id WHEN 1 THEN date '2026-01-01' ELSE date '2026-07-01' END`);
}

describe('kept by triggers', () => {
  beforeEach(reset);

  test('a check-in across midnight counts both days; a 签退 and a revocation are counted as they happen', async () => {
    const open = await addVisit(db, IDS.lina, IDS.dingmen, '2026-03-02T14:00:00+08:00', null);
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_year: 2026, tally_visits: 1, tally_days: 1 });
    expect(await cadreOf(IDS.lina)).toMatchObject({ tally_year: 2026, tally_days_on_site: 1, tally_days_resident: 0 });

    await db.query(`UPDATE visits SET ended_at = '2026-03-03T10:00:00+08:00' WHERE id = $1`, [open]);
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 1, tally_days: 2 });
    // one night at the village; the check-in lasted 20 hours, so its first day is resident too
    expect(await cadreOf(IDS.lina)).toMatchObject({ tally_days_on_site: 2, tally_days_resident: 1 });

    // 张伟 (same unit) on the same day adds a check-in but no day
    const zw = await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-03-03T09:00:00+08:00', '2026-03-03T12:00:00+08:00');
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 2, tally_days: 2 });
    await db.query('UPDATE visits SET revoked_at = now() WHERE id = $1', [zw]);
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 1, tally_days: 2 });
    expect(await cadreOf(IDS.zhangwei)).toMatchObject({ tally_year: null, tally_days_on_site: 0 });

    await db.query('DELETE FROM visits WHERE id = $1', [open]);
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_year: null, tally_visits: 0, tally_days: 0 });
    expect(await cadreOf(IDS.lina)).toMatchObject({ tally_year: null, tally_days_on_site: 0, tally_days_resident: 0 });
  });

  test('an auto-closed check-in is a day on site but never a resident day', async () => {
    await addVisit(db, IDS.lina, IDS.dingmen, '2026-04-10T08:00:00+08:00', '2026-04-11T08:00:00+08:00', { autoClosed: true });
    expect(await cadreOf(IDS.lina)).toMatchObject({ tally_days_on_site: 2, tally_days_resident: 0 });
    await db.query('UPDATE visits SET auto_closed = false');
    // 24 hours from 08:00: its first day, which is also its one night
    expect(await cadreOf(IDS.lina)).toMatchObject({ tally_days_on_site: 2, tally_days_resident: 1 });
  });

  test("a cadre's change of unit moves their check-ins from the old unit's link to the new one's", async () => {
    await addVisit(db, IDS.zhangwei, IDS.xiping, '2026-08-01T09:00:00+08:00', '2026-08-01T12:00:00+08:00');
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_visits: 0 });
    await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [IDS.zhangwei, IDS.unitEdu]);
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_year: 2026, tally_visits: 1, tally_days: 1 });
    await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-08-02T09:00:00+08:00', '2026-08-02T12:00:00+08:00');
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 0 });
    await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [IDS.zhangwei, IDS.unitAgri]);
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 1 });
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_visits: 0, tally_days: 0 });
  });

  test('a link counts from its start; a new year starts from zero', async () => {
    await addVisit(db, IDS.wanggang, IDS.xiping, '2026-06-20T09:00:00+08:00', '2026-06-20T12:00:00+08:00');
    await addVisit(db, IDS.wanggang, IDS.xiping, '2026-07-20T09:00:00+08:00', '2026-07-20T12:00:00+08:00');
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_visits: 1, tally_days: 1 });
    await db.query(`UPDATE unit_village_links SET valid_from = '2026-06-01' WHERE unit_id = $1`, [IDS.unitEdu]);
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_visits: 2, tally_days: 2 });
    // a link opened after the check-ins (the unit's second village) counts them from its start only
    await db.query(`INSERT INTO unit_village_links (unit_id, village_id, valid_from) VALUES ($1, $2, '2026-07-01')`,
      [IDS.unitEdu, IDS.wangmen]);
    await addVisit(db, IDS.wanggang, IDS.wangmen, '2026-12-31T20:00:00+08:00', '2027-01-01T10:00:00+08:00');
    // the last night of 2026 counts for 2026; 1 January belongs to no 2026 tally
    expect(await linkOf(IDS.unitEdu, IDS.wangmen)).toMatchObject({ tally_year: 2026, tally_visits: 1, tally_days: 1 });
    expect(await cadreOf(IDS.wanggang)).toMatchObject({ tally_year: 2026, tally_days_on_site: 3, tally_days_resident: 1 });
    await addVisit(db, IDS.wanggang, IDS.xiping, '2027-01-05T09:00:00+08:00', '2027-01-05T12:00:00+08:00');
    expect(await linkOf(IDS.unitEdu, IDS.xiping)).toMatchObject({ tally_year: 2027, tally_visits: 1, tally_days: 1 });
    expect(await cadreOf(IDS.wanggang)).toMatchObject({ tally_year: 2027, tally_days_on_site: 1 });
    await db.query('DELETE FROM unit_village_links WHERE village_id = $1', [IDS.wangmen]);
  });

  test('two cadres of one unit checking in at once are both counted', async () => {
    const a = db.createQueryRunner();
    const b = db.createQueryRunner();
    try {
      await a.startTransaction();
      await b.startTransaction();
      const insert = (cadre: number, at: string) => `INSERT INTO visits (cadre_id, village_id, started_at) VALUES (${cadre}, ${IDS.dingmen}, '${at}')`;
      await a.query(insert(IDS.zhangwei, '2026-05-06T08:00:00+08:00'));
      await b.query(insert(IDS.lina, '2026-05-07T08:00:00+08:00'));
      await Promise.all([a.commitTransaction(), b.commitTransaction()]);
    } finally {
      await a.release();
      await b.release();
    }
    expect(await linkOf(IDS.unitAgri, IDS.dingmen)).toMatchObject({ tally_visits: 2, tally_days: 2 });
  });
});

/** The rules, counted from the visits rows (Shanghai dates as 'YYYY-MM-DD'). */
async function expected(): Promise<{ links: LinkTally[]; cadres: CadreTally[] }> {
  const visits: { cadre_id: number; village_id: number; s: string; e: string; started: Date; ended: Date | null; auto_closed: boolean; unit_id: number | null }[] =
    await db.query(
      `SELECT v.cadre_id, v.village_id, to_char(v.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS s,
              to_char(coalesce(v.ended_at, v.started_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS e,
              v.started_at AS started, v.ended_at AS ended, v.auto_closed, c.unit_id
         FROM visits v JOIN cadres c ON c.id = v.cadre_id WHERE v.revoked_at IS NULL`);
  const links: { unit_id: number; village_id: number; since: string }[] = await db.query(
    `SELECT unit_id, village_id, to_char(valid_from, 'YYYY-MM-DD') AS since FROM unit_village_links ORDER BY id`);
  const cadreIds: { id: number }[] = await db.query('SELECT id FROM cadres ORDER BY id');
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  };
  const yearOf = (vs: typeof visits) => (vs.length ? Math.max(...vs.map((v) => Number(v.s.slice(0, 4)))) : null);
  const cap = (d: string, year: number) => (d > `${year}-12-31` ? `${year}-12-31` : d);
  const prevDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return {
    links: links.map((l) => {
      const vs = visits.filter((v) => v.unit_id === l.unit_id && v.village_id === l.village_id);
      const year = yearOf(vs);
      const live = year === null ? [] : vs.filter((v) => v.s >= `${year}-01-01` && v.s >= l.since);
      return {
        unit_id: l.unit_id, village_id: l.village_id, tally_year: year, tally_visits: live.length,
        tally_days: new Set(live.flatMap((v) => days(v.s, cap(v.e, year!)))).size,
      };
    }),
    cadres: cadreIds.map(({ id }) => {
      const vs = visits.filter((v) => v.cadre_id === id);
      const year = yearOf(vs);
      const live = year === null ? [] : vs.filter((v) => v.s >= `${year}-01-01`);
      const resident = new Set(live.filter((v) => !v.auto_closed && v.ended).flatMap((v) => [
        ...(v.ended!.getTime() - v.started.getTime() >= 8 * 3_600_000 ? [v.s] : []),
        ...days(v.s, cap(prevDay(v.e), year!)),
      ]));
      return {
        id, tally_year: year, tally_days_on_site: new Set(live.flatMap((v) => days(v.s, cap(v.e, year!)))).size,
        tally_days_resident: resident.size,
      };
    }),
  };
}

type Op =
  | { kind: 'checkin'; cadre: number; village: number; day: number; hour: number; hours: number | null; auto: boolean }
  | { kind: 'close' | 'revoke' | 'delete'; pick: number; hours: number }
  | { kind: 'unit'; cadre: number; unit: number }
  | { kind: 'start'; unit: number; day: number };

const cadre = fc.constantFrom(IDS.zhangwei, IDS.lina, IDS.wanggang);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('checkin' as const), cadre, village: fc.constantFrom(IDS.dingmen, IDS.xiping, IDS.wangmen),
    // days of 2025-12-20 … 2027-01-10, so year ends and link starts are crossed
    day: fc.integer({ min: 0, max: 386 }), hour: fc.integer({ min: 0, max: 23 }),
    hours: fc.option(fc.integer({ min: 0, max: 60 })), auto: fc.boolean(),
  }),
  fc.record({ kind: fc.constantFrom('close' as const, 'revoke' as const, 'delete' as const), pick: fc.nat(), hours: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('unit' as const), cadre, unit: fc.constantFrom(IDS.unitAgri, IDS.unitEdu) }),
  fc.record({ kind: fc.constant('start' as const), unit: fc.constantFrom(IDS.unitAgri, IDS.unitEdu), day: fc.integer({ min: 0, max: 386 }) }),
);

async function apply(o: Op): Promise<void> {
  const instant = (day: number, hour: number) => new Date(Date.UTC(2025, 11, 20, hour - 8) + day * 86_400_000);
  const ids: { id: number; started_at: Date }[] = await db.query('SELECT id, started_at FROM visits ORDER BY id');
  const picked = ids.length ? ids[o.kind === 'close' || o.kind === 'revoke' || o.kind === 'delete' ? o.pick % ids.length : 0] : undefined;
  switch (o.kind) {
    case 'checkin': {
      const start = instant(o.day, o.hour);
      // one open check-in per cadre: a new one closes nothing here, so an open one is only added when none is
      const [{ open }] = await db.query('SELECT count(*)::int AS open FROM visits WHERE cadre_id = $1 AND ended_at IS NULL AND revoked_at IS NULL', [o.cadre]);
      const end = o.hours === null && open === 0 ? null : new Date(start.getTime() + (o.hours ?? 1) * 3_600_000);
      await db.query('INSERT INTO visits (cadre_id, village_id, started_at, ended_at, auto_closed) VALUES ($1, $2, $3, $4, $5)',
        [o.cadre, o.village, start, end, end !== null && o.auto]);
      return;
    }
    case 'close':
      if (picked) await db.query('UPDATE visits SET ended_at = $2 WHERE id = $1', [picked.id, new Date(picked.started_at.getTime() + o.hours * 3_600_000)]);
      return;
    case 'revoke':
      if (picked) await db.query('UPDATE visits SET revoked_at = now() WHERE id = $1', [picked.id]);
      return;
    case 'delete':
      if (picked) await db.query('DELETE FROM visits WHERE id = $1', [picked.id]);
      return;
    case 'unit':
      await db.query('UPDATE cadres SET unit_id = $2 WHERE id = $1', [o.cadre, o.unit]);
      return;
    case 'start':
      await db.query('UPDATE unit_village_links SET valid_from = $2::timestamptz::date WHERE unit_id = $1', [o.unit, instant(o.day, 12)]);
  }
}

test('after every write of any sequence every tally is what the rules count, and the rebuild agrees', async () => {
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
    await reset();
    let want = await expected();
    for (const o of ops) {
      await apply(o);
      // after every write: a later write to the same link would recount it and hide a miss
      want = await expected();
      expect(await linkTallies()).toEqual(want.links);
      expect(await cadreTallies()).toEqual(want.cadres);
    }
    await db.query('UPDATE unit_village_links SET tally_visits = 99');
    await db.query('UPDATE cadres SET tally_days_on_site = 99');
    await db.query('SELECT site_tallies_rebuild()');
    expect(await linkTallies()).toEqual(want.links);
    expect(await cadreTallies()).toEqual(want.cadres);
  }), { numRuns: 40, seed: 20261123 });
});
