import type { PoolClient } from 'pg';
import { PROVINCE_NAME } from '../people/regions';
import { WHOLE_PROVINCE } from './sheets';
import type { SheetReport } from './types';

/**
 * Writes the region tree, villages and groups from the staging tables,
 * set-based. Runs only after every check passed, inside the import transaction.
 */

const SEQ = `pg_get_serial_sequence('regions', 'id')`;
const DEFAULT_RADIUS_M = 3000;

/** SQL: the full_name of the region a scope text names ('全省' or '市/县区/…'). */
export function scopeFullName(column: string): string {
  return `CASE WHEN ${column} = '${WHOLE_PROVINCE}' THEN '${PROVINCE_NAME}' ELSE '${PROVINCE_NAME}/' || ${column} END`;
}

async function ensureProvince(q: PoolClient): Promise<{ id: number; path: string; full_name: string; created?: boolean }> {
  const found = await q.query(
    'SELECT id, path, full_name FROM regions WHERE parent_id IS NULL AND level = 0 AND name = $1',
    [PROVINCE_NAME],
  );
  if (found.rows[0]) return found.rows[0];
  const created = await q.query(
    `WITH n AS (SELECT nextval(${SEQ})::int AS id)
     INSERT INTO regions (id, parent_id, level, name, full_name, path)
     SELECT id, NULL, 0, $1, $1, '/' || id || '/' FROM n RETURNING id, path, full_name`,
    [PROVINCE_NAME],
  );
  return { ...created.rows[0], created: true };
}

/** Node keys per level: the names from the city down, joined with "/" (names never hold "/"). */
const LEVEL_KEYS = ['city', "city || '/' || county", "city || '/' || county || '/' || township",
  "city || '/' || county || '/' || township || '/' || village"];
const LEVEL_NAMES = ['city', 'county', 'township', 'village'];

/** Creates missing 省/市/县区/乡镇/村 regions; returns how many were created at levels 0–3 and at level 4. */
async function upsertRegions(q: PoolClient): Promise<{ regions: number; villages: number }> {
  const province = await ensureProvince(q);
  await q.query(`CREATE TEMP TABLE nodes (level int, key text, parent_key text, name text, id int, path text, full_name text) ON COMMIT DROP`);
  await q.query(`INSERT INTO nodes VALUES (0, '', NULL, $1, $2, $3, $4)`,
    [PROVINCE_NAME, province.id, province.path, province.full_name]);
  for (let level = 1; level <= 4; level++) {
    const parentKey = level === 1 ? `''` : LEVEL_KEYS[level - 2];
    await q.query(`INSERT INTO nodes (level, key, parent_key, name)
      SELECT DISTINCT ${level}, ${LEVEL_KEYS[level - 1]}, ${parentKey}, ${LEVEL_NAMES[level - 1]} FROM st_villages`);
  }
  // Without statistics the planner takes the temp table for a few rows and joins a level to its
  // parents by nested loops: 20,000 villages × 1,000 townships compared pairwise.
  await q.query('ANALYZE nodes');
  let regions = province.created ? 1 : 0;
  let villages = 0;
  for (let level = 1; level <= 4; level++) {
    await q.query(
      `UPDATE nodes n SET id = r.id, path = r.path, full_name = r.full_name
         FROM nodes p, regions r
        WHERE n.level = $1 AND p.level = $1 - 1 AND p.key = n.parent_key AND r.parent_id = p.id AND r.name = n.name`,
      [level],
    );
    const created = await q.query(
      `WITH fresh AS MATERIALIZED (
         SELECT n.key, n.name, p.id AS parent_id, p.path AS ppath, p.full_name AS pfull, nextval(${SEQ})::int AS id
           FROM nodes n JOIN nodes p ON p.level = $1 - 1 AND p.key = n.parent_key
          WHERE n.level = $1 AND n.id IS NULL),
       ins AS (
         INSERT INTO regions (id, parent_id, level, name, full_name, path)
         SELECT id, parent_id, $1, name, pfull || '/' || name, ppath || id || '/' FROM fresh)
       UPDATE nodes n SET id = f.id, path = f.ppath || f.id || '/', full_name = f.pfull || '/' || f.name
         FROM fresh f WHERE n.level = $1 AND n.key = f.key`,
      [level],
    );
    if (level < 4) regions += created.rowCount ?? 0;
    else villages += created.rowCount ?? 0;
  }
  return { regions, villages };
}

/** Regions and villages; returns the number of regions above villages created (province, cities, counties, townships). */
export async function applyVillages(q: PoolClient, report: SheetReport): Promise<number> {
  const { regions } = await upsertRegions(q);
  await q.query(`CREATE TEMP TABLE sv ON COMMIT DROP AS
    SELECT DISTINCT ON (n.id) n.id, s.kind, s.is_poor, s.lat, s.lng, s.initials
      FROM st_villages s JOIN nodes n ON n.level = 4 AND n.key = ${LEVEL_KEYS[3]} ORDER BY n.id, s.row`);
  const updated = await q.query(
    `UPDATE villages v SET kind = sv.kind, is_poor = sv.is_poor, latitude = sv.lat, longitude = sv.lng, initials = sv.initials
       FROM sv WHERE v.id = sv.id
        AND (v.kind, v.is_poor, v.latitude, v.longitude, v.initials) IS DISTINCT FROM (sv.kind, sv.is_poor, sv.lat, sv.lng, sv.initials)`,
  );
  // A new village's geofence radius comes from the rule; re-imports keep an edited radius.
  const created = await q.query(
    `INSERT INTO villages (id, kind, is_poor, latitude, longitude, radius_m, initials)
     SELECT sv.id, sv.kind, sv.is_poor, sv.lat, sv.lng,
            COALESCE((SELECT (value #>> '{}')::int FROM policy_rules WHERE key = 'checkin.default_radius_m'), $1),
            sv.initials
       FROM sv WHERE NOT EXISTS (SELECT 1 FROM villages v WHERE v.id = sv.id)`,
    [DEFAULT_RADIUS_M],
  );
  const total = await q.query<{ n: string }>('SELECT count(*) AS n FROM sv');
  report.created = created.rowCount ?? 0;
  report.updated = updated.rowCount ?? 0;
  report.unchanged = Number(total.rows[0].n) - report.created - report.updated;
  // Every village by county/township/village name, for the sheets that refer to villages.
  await q.query(`CREATE TEMP TABLE vid ON COMMIT DROP AS
    SELECT co.name AS county, t.name AS township, v.name AS village, v.id
      FROM villages vv JOIN regions v ON v.id = vv.id JOIN regions t ON t.id = v.parent_id
      JOIN regions co ON co.id = t.parent_id;
    ANALYZE vid`);
  return regions;
}

export async function applyGroups(q: PoolClient, report: SheetReport): Promise<void> {
  await q.query(`CREATE TEMP TABLE sg ON COMMIT DROP AS
    SELECT r.id AS scope_id, s.name, s.robot_key
      FROM st_groups s JOIN regions r ON r.full_name = ${scopeFullName('s.scope')}`);
  const updated = await q.query(
    `UPDATE groups g SET robot_key = sg.robot_key FROM sg
      WHERE g.scope_region_id = sg.scope_id AND g.name = sg.name AND g.robot_key <> sg.robot_key`,
  );
  const created = await q.query(
    `INSERT INTO groups (scope_region_id, name, robot_key) SELECT scope_id, name, robot_key FROM sg
      WHERE NOT EXISTS (SELECT 1 FROM groups g WHERE g.scope_region_id = sg.scope_id AND g.name = sg.name)`,
  );
  report.created = created.rowCount ?? 0;
  report.updated = updated.rowCount ?? 0;
  report.unchanged = report.rows - report.created - report.updated;
}
