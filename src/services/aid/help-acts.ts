import type { EntityManager } from 'typeorm';
import { VALID_ON } from '../people/links';
import { subtreeLike } from '../people/regions';
import { shanghaiDate, shanghaiYear, shanghaiYearRange } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * 六送 (docs/design.md §2): a help act a cadre records for one of their linked
 * households, with its kind, a note, and for 送资金 an amount in 元. Each act
 * keeps the cadre's unit and 联户 link at the time (history-true), and the
 * trigger of migration 1763858400000 keeps village_help_tallies (acts and
 * amounts per village, year and kind), so a region reads village rows, not a
 * year of acts. A household's, a cadre's or a unit's acts of a year are few and
 * read through their own index.
 */

export const HELP_KINDS = ['送政策', '送项目', '送资金', '送技术', '送信息', '送温暖'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];
/** The kind whose acts carry an amount. */
export const MONEY_KIND: HelpKind = '送资金';

/** A household's 帮扶状态 as the roster gives it (docs/design.md §4). */
export const AID_STATUSES = ['未脱贫', '已脱贫', '监测户'] as const;

/** 送资金 or its short form 资金 → 送资金; anything else → null. */
export function helpKindOf(word: string): HelpKind | null {
  const full = word.startsWith('送') ? word : `送${word}`;
  return (HELP_KINDS as readonly string[]).includes(full) ? (full as HelpKind) : null;
}

/**
 * The first amount in 元 written in a note: 2000元, 2,000元, 1.5万元, 2000 元.
 * Null when there is none or it is not positive.
 */
export function amountYuanOf(note: string): number | null {
  const m = /(\d[\d,，]*(?:\.\d+)?)\s*(万)?\s*元/u.exec(note);
  if (!m) return null;
  const n = Number(m[1].replace(/[,，]/gu, '')) * (m[2] ? 10000 : 1);
  return Number.isFinite(n) && n > 0 && n < 1e12 ? Math.round(n * 100) / 100 : null;
}

export interface HelpCounts {
  acts: number;
  /** Kinds with at least one act, in HELP_KINDS order. */
  byKind: { kind: HelpKind; acts: number }[];
  /** The sum of 送资金 amounts, 元. */
  amountYuan: number;
}

export async function recordHelpAct(
  manager: EntityManager,
  input: { cadreId: number; household: { id: number; villageId: number }; kind: HelpKind; note: string; amountYuan: number | null; now: Date },
): Promise<{ id: number }> {
  const [row]: { id: number }[] = await manager.query(
    `INSERT INTO help_acts (cadre_id, unit_id, household_id, household_link_id, village_id, kind, amount_yuan, note, acted_at)
     SELECT c.id, c.unit_id, $2,
            (SELECT chl.id FROM cadre_household_links chl
              WHERE chl.cadre_id = c.id AND chl.household_id = $2 AND ${VALID_ON('chl', '$8')}
              ORDER BY chl.valid_from DESC LIMIT 1),
            $3, $4, $5, $6, $7
       FROM cadres c WHERE c.id = $1
     RETURNING id`,
    [input.cadreId, input.household.id, input.household.villageId, input.kind, input.amountYuan, input.note, input.now,
      shanghaiDate(input.now)],
  );
  return row;
}

type KindRow = { kind: HelpKind; acts: number; amount: string | number | null };

function countsOf(rows: KindRow[]): HelpCounts {
  const by = new Map(rows.map((r) => [r.kind, r]));
  const byKind = HELP_KINDS.filter((k) => (by.get(k)?.acts ?? 0) > 0).map((k) => ({ kind: k, acts: Number(by.get(k)!.acts) }));
  return {
    acts: byKind.reduce((s, k) => s + k.acts, 0),
    byKind,
    amountYuan: rows.reduce((s, r) => s + Number(r.amount ?? 0), 0),
  };
}

/** This year's acts with the given column (cadre_id, household_id or unit_id) = id, by kind. */
async function countsBy(db: Db, column: 'cadre_id' | 'household_id' | 'unit_id', id: number, now: Date): Promise<HelpCounts> {
  const { from, to } = shanghaiYearRange(now);
  const rows: KindRow[] = await db.query(
    `SELECT kind, count(*)::int AS acts, sum(amount_yuan) AS amount FROM help_acts
      WHERE ${column} = $1 AND revoked_at IS NULL AND acted_at >= $2 AND acted_at < $3
      GROUP BY kind`,
    [id, from, to],
  );
  return countsOf(rows);
}

export const householdHelpCounts = (db: Db, householdId: number, now: Date) => countsBy(db, 'household_id', householdId, now);
export const cadreHelpCounts = (db: Db, cadreId: number, now: Date) => countsBy(db, 'cadre_id', cadreId, now);
export const unitHelpCounts = (db: Db, unitId: number, now: Date) => countsBy(db, 'unit_id', unitId, now);

/** This year's acts at the villages of a region (any level), from the village tallies. */
export async function regionHelpCounts(db: Db, regionPath: string, now: Date): Promise<HelpCounts> {
  const rows: KindRow[] = await db.query(
    `SELECT t.kind, sum(t.acts)::int AS acts, sum(t.amount_yuan) AS amount
       FROM village_help_tallies t
      WHERE t.village_id IN (SELECT id FROM regions WHERE path LIKE $1 AND level = 4) AND t.year = $2
      GROUP BY t.kind`,
    [subtreeLike(regionPath), shanghaiYear(now)],
  );
  return countsOf(rows);
}

/** This year's acts per child region of a scope (for a village scope: the village itself). */
export async function helpCountsByChild(
  db: Db, scope: { path: string; level: number }, now: Date,
): Promise<({ id: number; name: string } & HelpCounts)[]> {
  const child = scope.level < 4 ? `split_part(r.path, '/', ${scope.level + 3})::int` : 'r.id';
  const rows: (KindRow & { child: number; name: string })[] = await db.query(
    `WITH vs AS (SELECT r.id, ${child} AS child FROM regions r WHERE r.path LIKE $1 AND r.level = 4)
     SELECT vs.child, c.name, t.kind, sum(t.acts)::int AS acts, sum(t.amount_yuan) AS amount
       FROM vs JOIN village_help_tallies t ON t.village_id = vs.id AND t.year = $2 JOIN regions c ON c.id = vs.child
      GROUP BY vs.child, c.name, t.kind
      ORDER BY c.name`,
    [subtreeLike(scope.path), shanghaiYear(now)],
  );
  const groups = new Map<number, { name: string; rows: KindRow[] }>();
  for (const r of rows) {
    const g = groups.get(r.child) ?? (groups.set(r.child, { name: r.name, rows: [] }), groups.get(r.child)!);
    g.rows.push(r);
  }
  return [...groups].map(([id, g]) => ({ id, name: g.name, ...countsOf(g.rows) })).filter((g) => g.acts > 0);
}

export interface HelpLedgerRow {
  county: string;
  township: string;
  village: string;
  householder: string;
  category: string;
  povertyCause: string | null;
  aidStatus: string | null;
  kind: HelpKind;
  note: string;
  amountYuan: string | null;
  cadre: string;
  unit: string | null;
  actedAt: Date;
}

/** The 帮扶台账 rows of some villages in [from, to), in village then time order. */
export function helpLedgerRows(db: Db, villageIds: number[], range: { from: Date; to: Date }): Promise<HelpLedgerRow[]> {
  return db.query(
    `SELECT split_part(r.full_name, '/', 3) AS county, split_part(r.full_name, '/', 4) AS township, r.name AS village,
            h.householder, h.category, h.poverty_cause AS "povertyCause", h.aid_status AS "aidStatus",
            a.kind, a.note, a.amount_yuan AS "amountYuan", c.name AS cadre, u.name AS unit, a.acted_at AS "actedAt"
       FROM regions r JOIN help_acts a ON a.village_id = r.id JOIN households h ON h.id = a.household_id
       JOIN cadres c ON c.id = a.cadre_id LEFT JOIN units u ON u.id = a.unit_id
      WHERE a.village_id = ANY($3) AND a.revoked_at IS NULL AND a.acted_at >= $1 AND a.acted_at < $2
      ORDER BY r.path, a.acted_at, a.id`,
    [range.from, range.to, villageIds],
  );
}
