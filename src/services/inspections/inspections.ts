import type { EntityManager } from 'typeorm';
import { getRules } from '../rules/rules';
import { subtreeLike } from '../people/regions';
import { startOfShanghaiDay } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * 督查 (docs/design.md §2): a leader's inspection of a village in their scope,
 * either 明察暗访 (unannounced, due every 'inspection.unannounced_months' months,
 * default 1) or 集中督查 (a campaign, due every 'inspection.central_months'
 * months, default 3). The blocks of months start in January: with 3, the
 * calendar quarters. The digests report the villages of a scope with no
 * inspection of a kind in its current block.
 */

export const INSPECTION_KINDS = ['明察暗访', '集中督查'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export const DEFAULT_INSPECTION_KIND: InspectionKind = '集中督查';

/** A block by its length in months, as replies and digests name it: 本月, 本季度, … */
export const inspectionBlockLabel = (months: number): string =>
  ({ 1: '本月', 3: '本季度', 6: '本半年', 12: '今年' } as Record<number, string>)[months] ?? `近${months}个月`;

const RULE_OF: Record<InspectionKind, 'inspection.unannounced_months' | 'inspection.central_months'> = {
  明察暗访: 'inspection.unannounced_months',
  集中督查: 'inspection.central_months',
};

/** The block of `months` months (from January) holding a Shanghai date: [first day, first day of the next block). */
export function inspectionBlock(date: string, months: number): { from: string; to: string } {
  const n = Math.min(12, Math.max(1, Math.floor(months)));
  const year = Number(date.slice(0, 4));
  const first = Math.floor((Number(date.slice(5, 7)) - 1) / n) * n;
  const ym = (m: number) => `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
  return { from: ym(first), to: ym(Math.min(first + n, 12)) };
}

export interface InspectionBlocks {
  /** Each kind's block holding the date, as instants [from, to). */
  blocks: Record<InspectionKind, { from: Date; to: Date; months: number }>;
}

export async function inspectionBlocks(db: Db, date: string): Promise<InspectionBlocks['blocks']> {
  const r = await getRules(db, Object.values(RULE_OF));
  const block = (k: InspectionKind) => {
    const b = inspectionBlock(date, r[RULE_OF[k]]);
    return { from: startOfShanghaiDay(b.from), to: startOfShanghaiDay(b.to), months: r[RULE_OF[k]] };
  };
  return { 明察暗访: block('明察暗访'), 集中督查: block('集中督查') };
}

export async function recordInspection(
  manager: EntityManager,
  input: { cadreId: number; villageId: number; kind: InspectionKind; note: string; now: Date; today: string },
): Promise<{ id: number; inBlock: number; months: number }> {
  const [row]: { id: number }[] = await manager.query(
    `INSERT INTO inspections (cadre_id, village_id, kind, note, inspected_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.cadreId, input.villageId, input.kind, input.note, input.now],
  );
  const b = (await inspectionBlocks(manager, input.today))[input.kind];
  const [{ n }]: { n: number }[] = await manager.query(
    `SELECT count(*)::int AS n FROM inspections
      WHERE village_id = $1 AND kind = $2 AND revoked_at IS NULL AND inspected_at >= $3 AND inspected_at < $4`,
    [input.villageId, input.kind, b.from, b.to],
  );
  return { id: row.id, inBlock: n, months: b.months };
}

export interface VillageInspected {
  id: number;
  path: string;
  fullName: string;
  /** Inspected by each kind within its block, up to `asOf`. */
  unannounced: boolean;
  central: boolean;
}

/**
 * Every village under a path pattern with whether it had each kind of inspection
 * in its block up to `asOf` (two index probes per village on inspections_village_idx).
 */
export async function villagesInspected(db: Db, prefix: string, asOf: Date, date: string): Promise<VillageInspected[]> {
  const b = await inspectionBlocks(db, date);
  const probe = (kind: InspectionKind, from: number, to: number) =>
    `EXISTS (SELECT 1 FROM inspections i WHERE i.village_id = r.id AND i.kind = '${kind}' AND i.revoked_at IS NULL
              AND i.inspected_at >= $${from} AND i.inspected_at < $${to})`;
  const rows: VillageInspected[] = await db.query(
    `SELECT r.id, r.path, r.full_name AS "fullName",
            ${probe('明察暗访', 2, 4)} AS unannounced, ${probe('集中督查', 3, 4)} AS central
       FROM regions r WHERE r.path LIKE $1 AND r.level = 4 ORDER BY r.path`,
    // $2 the 明察暗访 block's start, $3 the 集中督查 block's start, $4 the end (asOf, within both blocks)
    [prefix, b.明察暗访.from, b.集中督查.from, asOf],
  );
  return rows;
}

/** villagesInspected for one region's subtree. */
export function villagesInspectedUnder(db: Db, regionPath: string, asOf: Date, date: string): Promise<VillageInspected[]> {
  return villagesInspected(db, subtreeLike(regionPath), asOf, date);
}
