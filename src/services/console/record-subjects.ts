import type { Region } from '../../../entities';
import { shanghaiDate } from '../../lib/time';
import { placeName } from '../../lib/place';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * The subjects of the console's record pages — a village, a unit, a cadre, a
 * household — with their header facts, and the places that decide who may
 * see them: a village or household by its village; a unit by the villages it
 * is or was linked to (联村); a cadre by their unit's villages, their 联户
 * households' villages, their 驻村 village and their own 管辖范围. A viewer
 * whose scope holds one of those places sees the whole page.
 */

export const SUBJECT_KINDS = ['village', 'unit', 'cadre', 'household'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

interface Named { id: number; name: string }
interface Place { id: number; place: string }

export interface VillageHead {
  kind: 'village'; id: number; name: string; place: string; isPoor: boolean;
  units: (Named & { since: string })[];
  cadres: (Named & { role: string; unit: string | null })[];
  households: number; covered: number; unitLinkedSince: string | null;
}
export interface UnitHead {
  kind: 'unit'; id: number; name: string; villages: (Place & { since: string })[];
  cadres: (Named & { role: string; mobile: string })[]; cadreCount: number; households: number;
}
export interface CadreHead {
  kind: 'cadre'; id: number; name: string; role: string; mobile: string; unit: Named | null;
  residentVillage: Place | null; villages: Place[]; households: (Named & { place: string })[]; householdCount: number;
}
export interface HouseholdHead {
  kind: 'household'; id: number; name: string; category: string; size: number; povertyCause: string | null; aidStatus: string | null;
  village: Place; cadres: (Named & { unit: string | null; since: string })[];
}
export type SubjectHead = VillageHead | UnitHead | CadreHead | HouseholdHead;

const MAX_LISTED = 200;

/** The region paths a subject is placed at (empty when it has none); null when it does not exist. */
export async function subjectPaths(db: Db, kind: SubjectKind, id: number): Promise<string[] | null> {
  const sql: Record<SubjectKind, string> = {
    village: `SELECT r.path FROM regions r JOIN villages v ON v.id = r.id WHERE r.id = $1`,
    household: `SELECT r.path FROM households h JOIN regions r ON r.id = h.village_id WHERE h.id = $1`,
    unit: `SELECT r.path FROM units u LEFT JOIN unit_village_links l ON l.unit_id = u.id LEFT JOIN regions r ON r.id = l.village_id
            WHERE u.id = $1`,
    cadre: `SELECT p.path FROM cadres c CROSS JOIN LATERAL (
              SELECT r.path FROM regions r WHERE r.id IN (c.resident_village_id, c.scope_region_id)
              UNION SELECT r.path FROM unit_village_links l JOIN regions r ON r.id = l.village_id WHERE l.unit_id = c.unit_id
              UNION SELECT r.path FROM cadre_household_links l JOIN regions r ON r.id = l.village_id WHERE l.cadre_id = c.id
              UNION SELECT NULL) p
             WHERE c.id = $1`,
  };
  const rows: { path: string | null }[] = await db.query(sql[kind], [id]);
  if (rows.length === 0) return null;
  return rows.map((r) => r.path).filter((p): p is string => p !== null);
}

/** Whether a viewer's scope holds the subject: one of its places is in the scope, or the scope is the province. */
export function scopeHolds(scope: Pick<Region, 'path' | 'parentId'>, paths: string[]): boolean {
  return scope.parentId === null || paths.some((p) => p.startsWith(scope.path));
}

/** Links valid on `today` (a Shanghai date): started, and not ended before it. */
const VALID = (l: string) => `${l}.valid_from <= $2::date AND (${l}.valid_to IS NULL OR ${l}.valid_to > $2::date)`;

export async function subjectHead(db: Db, kind: SubjectKind, id: number, now: Date): Promise<SubjectHead | null> {
  const today = shanghaiDate(now);
  return consoleRead(db, async (m) => {
    const q = <T>(sql: string, args: unknown[] = [id, today]): Promise<T[]> => m.query(sql, args);
    if (kind === 'village') {
      const [v] = await q<{ name: string; full_name: string; is_poor: boolean; since: string | null }>(
        `SELECT r.name, r.full_name, v.is_poor, to_char(nullif(v.unit_linked_since, 'infinity'), 'YYYY-MM-DD') AS since
           FROM regions r JOIN villages v ON v.id = r.id WHERE r.id = $1`, [id]);
      if (!v) return null;
      const units = await q<Named & { since: string }>(
        `SELECT u.id, u.name, to_char(l.valid_from, 'YYYY-MM-DD') AS since FROM unit_village_links l JOIN units u ON u.id = l.unit_id
          WHERE l.village_id = $1 AND ${VALID('l')} ORDER BY l.valid_from, u.id`);
      const cadres = await q<Named & { role: string; unit: string | null }>(
        `SELECT c.id, c.name, c.role, u.name AS unit FROM cadres c LEFT JOIN units u ON u.id = c.unit_id
          WHERE c.active AND (c.resident_village_id = $1 OR c.id IN (
            SELECT l.cadre_id FROM cadre_household_links l WHERE l.village_id = $1 AND ${VALID('l')}))
          ORDER BY c.name, c.id LIMIT ${MAX_LISTED}`);
      const [hh] = await q<{ households: number; covered: number }>(
        `SELECT coalesce(sum(households), 0)::int AS households,
                coalesce(sum(households) FILTER (WHERE covered_since <= $2::date), 0)::int AS covered
           FROM village_households WHERE village_id = $1`);
      return { kind, id, name: v.name, place: placeName(v.full_name), isPoor: v.is_poor, units, cadres, ...hh, unitLinkedSince: v.since };
    }
    if (kind === 'unit') {
      const [u] = await q<{ name: string }>('SELECT name FROM units WHERE id = $1', [id]);
      if (!u) return null;
      const villages = (await q<Place & { full_name: string; since: string }>(
        `SELECT r.id, r.full_name, to_char(l.valid_from, 'YYYY-MM-DD') AS since FROM unit_village_links l JOIN regions r ON r.id = l.village_id
          WHERE l.unit_id = $1 AND ${VALID('l')} ORDER BY l.valid_from, r.id`)).map(({ full_name, ...r }) => ({ ...r, place: placeName(full_name) }));
      const cadres = await q<Named & { role: string; mobile: string; n: number }>(
        `SELECT id, name, role, mobile, count(*) OVER ()::int AS n FROM cadres WHERE unit_id = $1 AND active ORDER BY name, id LIMIT ${MAX_LISTED}`, [id]);
      const [hh] = await q<{ households: number }>(
        `SELECT count(DISTINCT l.household_id)::int AS households FROM cadres c JOIN cadre_household_links l ON l.cadre_id = c.id
          WHERE c.unit_id = $1 AND c.active AND ${VALID('l')}`);
      return { kind, id, name: u.name, villages, cadres: cadres.map(({ n: _n, ...c }) => c), cadreCount: cadres[0]?.n ?? 0, households: hh.households };
    }
    if (kind === 'cadre') {
      const [c] = await q<{ name: string; role: string; mobile: string; unit_id: number | null; unit: string | null; rv_id: number | null; rv: string | null }>(
        `SELECT c.name, c.role, c.mobile, c.unit_id, u.name AS unit, c.resident_village_id AS rv_id, r.full_name AS rv
           FROM cadres c LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN regions r ON r.id = c.resident_village_id WHERE c.id = $1`, [id]);
      if (!c) return null;
      const villages = c.unit_id === null ? [] : (await q<{ id: number; full_name: string }>(
        `SELECT r.id, r.full_name FROM unit_village_links l JOIN regions r ON r.id = l.village_id
          WHERE l.unit_id = $1 AND ${VALID('l')} ORDER BY l.valid_from, r.id`, [c.unit_id, today])).map((r) => ({ id: r.id, place: placeName(r.full_name) }));
      const households = await q<Named & { full_name: string; n: number }>(
        `SELECT h.id, h.householder AS name, r.full_name, count(*) OVER ()::int AS n
           FROM cadre_household_links l JOIN households h ON h.id = l.household_id JOIN regions r ON r.id = h.village_id
          WHERE l.cadre_id = $1 AND ${VALID('l')} ORDER BY r.full_name, h.householder LIMIT ${MAX_LISTED}`);
      return {
        kind, id, name: c.name, role: c.role, mobile: c.mobile, unit: c.unit_id === null ? null : { id: c.unit_id, name: c.unit! },
        residentVillage: c.rv_id === null ? null : { id: c.rv_id, place: placeName(c.rv!) }, villages,
        households: households.map((h) => ({ id: h.id, name: h.name, place: placeName(h.full_name) })), householdCount: households[0]?.n ?? 0,
      };
    }
    const [h] = await q<{ name: string; category: string; size: number; poverty_cause: string | null; aid_status: string | null;
      village_id: number; full_name: string }>(
      `SELECT h.householder AS name, h.category, h.size, h.poverty_cause, h.aid_status, h.village_id, r.full_name
         FROM households h JOIN regions r ON r.id = h.village_id WHERE h.id = $1`, [id]);
    if (!h) return null;
    const cadres = await q<Named & { unit: string | null; since: string }>(
      `SELECT c.id, c.name, u.name AS unit, to_char(l.valid_from, 'YYYY-MM-DD') AS since
         FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id LEFT JOIN units u ON u.id = c.unit_id
        WHERE l.household_id = $1 AND ${VALID('l')} ORDER BY l.valid_from, c.id`);
    return {
      kind, id, name: h.name, category: h.category, size: h.size, povertyCause: h.poverty_cause, aidStatus: h.aid_status,
      village: { id: h.village_id, place: placeName(h.full_name) }, cadres,
    };
  });
}
