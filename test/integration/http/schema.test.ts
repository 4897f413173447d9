import { createTestDb, type TestDb } from '../../support/db';
import { migrate } from '../../../entities/data-source';
import { MIGRATIONS } from '../../../entities/migrations';
import { RegionLevel } from '../../../entities';
import { findRegionsByScope, subtreeLike, villageIdsUnder } from '../../../src/services/people/regions';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

async function addRegion(name: string, level: RegionLevel, parent?: { id: number; path: string; fullName: string }) {
  const [row] = await t.db.query(
    `INSERT INTO regions (parent_id, level, name, full_name, path) VALUES ($1, $2, $3, $4, '') RETURNING id`,
    [parent?.id ?? null, level, name, parent ? `${parent.fullName}/${name}` : name],
  );
  const path = `${parent?.path ?? '/'}${row.id}/`;
  await t.db.query('UPDATE regions SET path = $1 WHERE id = $2', [path, row.id]);
  return { id: row.id as number, path, fullName: parent ? `${parent.fullName}/${name}` : name };
}

const ALL = MIGRATIONS.map((m) => m.name);

async function undoAll(): Promise<void> {
  for (let i = 0; i < MIGRATIONS.length; i++) await t.db.undoLastMigration({ transaction: 'all' });
}

describe('schema', () => {
  test('every migration goes down and up again, and a second run finds nothing to do', async () => {
    await undoAll();
    const tables = await t.db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
    expect(tables[0].n).toBe(0);
    expect(await migrate(t.db)).toEqual(ALL);
    expect(await migrate(t.db)).toEqual([]);
    const rules = await t.db.query(`SELECT value FROM policy_rules WHERE key = 'village.visits_per_year'`);
    expect(rules[0].value).toBe(4);
  });

  test('connections run with JIT off', async () => {
    const [{ jit }] = await t.db.query('SHOW jit');
    expect(jit).toBe('off');
  });

  test('concurrent migrate calls serialise on the advisory lock', async () => {
    await undoAll();
    const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
    expect(results.flat()).toEqual(ALL);
  });

  test('subtree queries find everything under a county through the path index', async () => {
    const gansu = await addRegion('甘肃省', RegionLevel.Province);
    const tianshui = await addRegion('天水市', RegionLevel.City, gansu);
    const wushan = await addRegion('武山县', RegionLevel.County, tianshui);
    const qinzhou = await addRegion('秦州区', RegionLevel.County, tianshui);
    const yuanyang = await addRegion('鸳鸯镇', RegionLevel.Township, wushan);
    const dingmen = await addRegion('丁门村', RegionLevel.Village, yuanyang);
    const wangmen = await addRegion('王门村', RegionLevel.Village, yuanyang);
    const other = await addRegion('某镇', RegionLevel.Township, qinzhou);
    await addRegion('某村', RegionLevel.Village, other);

    expect((await villageIdsUnder(t.db, wushan)).sort()).toEqual([dingmen.id, wangmen.id].sort());
    expect(await villageIdsUnder(t.db, tianshui)).toHaveLength(3);

    await t.db.query('SET enable_seqscan = off');
    const plan: { 'QUERY PLAN': string }[] = await t.db.query(
      `EXPLAIN SELECT id FROM regions WHERE path LIKE $1`,
      [subtreeLike(wushan.path)],
    );
    await t.db.query('SET enable_seqscan = on');
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/regions_path_idx/);

    expect((await findRegionsByScope(t.db, '天水市/武山县')).map((r) => r.id)).toEqual([wushan.id]);
    expect((await findRegionsByScope(t.db, '武山县')).map((r) => r.id)).toEqual([wushan.id]);
    expect((await findRegionsByScope(t.db, '全省')).map((r) => r.id)).toEqual([gansu.id]);
    expect(await findRegionsByScope(t.db, '兰州市/武山县')).toEqual([]);
  });
});
