import type { PoolClient } from 'pg';
import { PROVINCE_NAME } from '../people/regions';
import { WHOLE_PROVINCE, type SheetKind } from './sheets';
import type { RowError } from './types';

/**
 * Checks that need other rows or the database, run set-based on the staging
 * tables: duplicate keys within the file and references to villages, units,
 * cadres and regions that must exist in this import or already in the database.
 */

const M = {
  duplicateVillage: (first: number) => `村重复（与第 ${first} 行相同）`,
  duplicateLink: (first: number) => `联系村重复（与第 ${first} 行相同）`,
  duplicateUserid: (userid: string, first: number) => `账号 ${userid} 重复（与第 ${first} 行相同）`,
  duplicateHouseholder: (name: string, first: number) => `户主 ${name} 在该村重复（与第 ${first} 行相同）`,
  duplicateGroup: (first: number) => `群重复（与第 ${first} 行相同）`,
  unknownVillage: (path: string) => `村 ${path} 不在花名册中`,
  unknownResidentVillage: (path: string) => `驻村村 ${path} 不在花名册中`,
  ambiguousVillage: (path: string) => `村 ${path} 不唯一（多个市有同名县区），请分开导入`,
  unknownUnit: (unit: string) => `单位 ${unit} 不在花名册中`,
  unknownUserid: (userid: string) => `联户干部账号 ${userid} 不在花名册中`,
  unknownScope: (scope: string) => `管辖范围 ${scope} 不存在`,
  unknownGroupScope: (scope: string) => `范围 ${scope} 不存在`,
} as const;

interface Check {
  kind: SheetKind;
  sql: string;
  message: (r: Record<string, string>) => string;
}

const provincePrefixLength = PROVINCE_NAME.length + 2; // substr() is 1-based, plus the "/"

const PREPARE = `
  CREATE TEMP TABLE chk_vkeys ON COMMIT DROP AS
    SELECT county, township, village, count(DISTINCT city) AS cities FROM (
      SELECT c.name AS city, co.name AS county, t.name AS township, v.name AS village
        FROM villages vv JOIN regions v ON v.id = vv.id JOIN regions t ON t.id = v.parent_id
        JOIN regions co ON co.id = t.parent_id JOIN regions c ON c.id = co.parent_id
      UNION SELECT city, county, township, village FROM st_villages
    ) k GROUP BY 1, 2, 3;
  CREATE TEMP TABLE chk_regions ON COMMIT DROP AS
    SELECT substr(full_name, ${provincePrefixLength}) AS full FROM regions WHERE level >= 1
    UNION SELECT city FROM st_villages
    UNION SELECT city || '/' || county FROM st_villages
    UNION SELECT city || '/' || county || '/' || township FROM st_villages
    UNION SELECT city || '/' || county || '/' || township || '/' || village FROM st_villages;
  CREATE TEMP TABLE chk_units ON COMMIT DROP AS
    SELECT name FROM units UNION SELECT unit FROM st_units;
  CREATE TEMP TABLE chk_userids ON COMMIT DROP AS
    SELECT userid FROM cadres UNION SELECT userid FROM st_cadres;
  ANALYZE chk_vkeys; ANALYZE chk_regions; ANALYZE chk_units; ANALYZE chk_userids;
`;

/** Rows after the first that repeat `keys` (among rows matching `where`), with the first row's number. */
function duplicates(table: string, keys: string, where = 'true', extra = ''): string {
  return `
    WITH src AS (SELECT * FROM ${table} WHERE ${where}),
         d AS (SELECT ${keys}, min(row) AS first FROM src GROUP BY ${keys} HAVING count(*) > 1)
    SELECT s.row, d.first ${extra} FROM src s JOIN d USING (${keys}) WHERE s.row <> d.first`;
}

/** Rows whose county/township/village (the columns `prefix`county, …) do not name exactly one village. */
function villageRefs(table: string, prefix = ''): string {
  const [county, township, village] = ['county', 'township', 'village'].map((c) => `s.${prefix}${c}`);
  return `
    SELECT s.row, ${county} || '/' || ${township} || '/' || ${village} AS path, k.cities
      FROM ${table} s LEFT JOIN chk_vkeys k ON k.county = ${county} AND k.township = ${township} AND k.village = ${village}
     WHERE ${county} <> '' AND ${township} <> '' AND ${village} <> '' AND (k.cities IS NULL OR k.cities > 1)`;
}

const villageRefMessage = (r: Record<string, string>) =>
  r.cities ? M.ambiguousVillage(r.path) : M.unknownVillage(r.path);
const residentVillageMessage = (r: Record<string, string>) =>
  r.cities ? M.ambiguousVillage(r.path) : M.unknownResidentVillage(r.path);

const CHECKS: Check[] = [
  {
    kind: 'villages',
    sql: duplicates('st_villages', 'city, county, township, village'),
    message: (r) => M.duplicateVillage(Number(r.first)),
  },
  { kind: 'units', sql: villageRefs('st_units'), message: villageRefMessage },
  {
    kind: 'units',
    sql: duplicates('st_units', 'unit, county, township, village', "village <> ''"),
    message: (r) => M.duplicateLink(Number(r.first)),
  },
  {
    kind: 'cadres',
    sql: duplicates('st_cadres', 'userid', "userid <> ''", ', s.userid'),
    message: (r) => M.duplicateUserid(r.userid, Number(r.first)),
  },
  {
    kind: 'cadres',
    sql: `SELECT row, unit FROM st_cadres s WHERE unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM chk_units u WHERE u.name = s.unit)`,
    message: (r) => M.unknownUnit(r.unit),
  },
  {
    kind: 'cadres',
    sql: `SELECT row, scope FROM st_cadres s WHERE scope IS NOT NULL AND scope <> '${WHOLE_PROVINCE}'
            AND NOT EXISTS (SELECT 1 FROM chk_regions g WHERE g.full = s.scope)`,
    message: (r) => M.unknownScope(r.scope),
  },
  { kind: 'cadres', sql: villageRefs('st_cadres', 'res_'), message: residentVillageMessage },
  {
    kind: 'households',
    sql: duplicates('st_households', 'county, township, village, householder', "householder <> ''", ', s.householder'),
    message: (r) => M.duplicateHouseholder(r.householder, Number(r.first)),
  },
  { kind: 'households', sql: villageRefs('st_households'), message: villageRefMessage },
  {
    kind: 'households',
    sql: `SELECT row, userid FROM st_households s WHERE userid <> '' AND NOT EXISTS (SELECT 1 FROM chk_userids u WHERE u.userid = s.userid)`,
    message: (r) => M.unknownUserid(r.userid),
  },
  {
    kind: 'groups',
    sql: `SELECT row, scope FROM st_groups s WHERE scope IS NOT NULL AND scope <> '${WHOLE_PROVINCE}'
            AND NOT EXISTS (SELECT 1 FROM chk_regions g WHERE g.full = s.scope)`,
    message: (r) => M.unknownGroupScope(r.scope),
  },
  {
    kind: 'groups',
    sql: duplicates('st_groups', 'scope, name', "scope IS NOT NULL AND name <> ''"),
    message: (r) => M.duplicateGroup(Number(r.first)),
  },
];

/** Runs every check; `sources` maps a sheet to the name used in error lines (absent sheets are skipped). */
export async function runChecks(q: PoolClient, sources: Map<SheetKind, string>): Promise<RowError[]> {
  await q.query(PREPARE);
  const errors: RowError[] = [];
  for (const check of CHECKS) {
    const source = sources.get(check.kind);
    if (!source) continue;
    const { rows } = await q.query<Record<string, string>>(check.sql);
    for (const r of rows) errors.push({ source, row: Number(r.row), reason: check.message(r) });
  }
  return errors;
}
