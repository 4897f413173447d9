import type { MustVisitKind, Region } from '../../../entities';
import { mustVisitFigures, type MustVisitFigures } from '../must-visits/figures';
import { subtreeLike } from '../people/regions';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * The console's 五必访 page for a scope and a range: the events due in the
 * range, those visited by their deadline and those overdue and not visited at
 * the range's end (or now), in total and per lower region (the same figures
 * as 统计 and the digests, must-visits/figures.ts), per cadre who owes the
 * visits, and the overdue events themselves, oldest deadline first. Events are
 * few next to check-ins (one per household and occasion), and every read goes
 * through the scope's villages (must_visits_village_due_idx).
 */

/** Rows listed per list. */
const LISTED = 50;

export interface CadreMustVisits extends MustVisitFigures {
  cadreId: number | null;
  name: string | null;
  unitName: string | null;
}

export interface OverdueEvent {
  id: number;
  householder: string;
  villageFullName: string;
  kind: MustVisitKind;
  reporter: string;
  cadre: string | null;
  reportedAt: Date;
  dueAt: Date;
  /** Whole days past the deadline at the range's end. */
  days: number;
}

export interface MustVisitsPage {
  totals: MustVisitFigures;
  byChild: ({ id: number; name: string } & MustVisitFigures)[];
  byCadre: { total: number; rows: CadreMustVisits[] };
  overdue: { total: number; rows: OverdueEvent[] };
}

export async function mustVisitsPage(db: Db, scope: Region, range: { from: Date; to: Date }, now: Date): Promise<MustVisitsPage> {
  const asOf = new Date(Math.min(range.to.getTime(), now.getTime()));
  const prefix = subtreeLike(scope.path);
  return consoleRead(db, async (m) => {
    const children: { id: number; name: string }[] = await m.query(
      'SELECT id, name FROM regions WHERE parent_id = $1 ORDER BY name', [scope.id]);
    const figures = await mustVisitFigures(m, prefix, [scope.id, ...children.map((c) => c.id)], [range.from, range.to], asOf);
    const cadres: (CadreMustVisits & { total: number })[] = await m.query(
      `WITH ev AS (
         SELECT m.cadre_id,
                count(*) FILTER (WHERE m.due_at >= $2 AND m.due_at < $3)::int AS due,
                count(*) FILTER (WHERE m.due_at >= $2 AND m.due_at < $3 AND m.done_at <= m.due_at)::int AS "inTime",
                count(*) FILTER (WHERE m.due_at < $4 AND (m.done_at IS NULL OR m.done_at > $4))::int AS overdue
           FROM regions r JOIN must_visits m ON m.village_id = r.id
          WHERE r.path LIKE $1 AND r.level = 4 AND m.revoked_at IS NULL AND m.reported_at < $4
            AND ((m.due_at >= $2 AND m.due_at < $3) OR (m.due_at < $4 AND (m.done_at IS NULL OR m.done_at > $4)))
          GROUP BY m.cadre_id)
       SELECT ev.cadre_id AS "cadreId", c.name, u.name AS "unitName", ev.due, ev."inTime", ev.overdue, count(*) OVER ()::int AS total
         FROM ev LEFT JOIN cadres c ON c.id = ev.cadre_id LEFT JOIN units u ON u.id = c.unit_id
        ORDER BY ev.overdue DESC, ev.due DESC, c.name NULLS LAST
        LIMIT ${LISTED}`,
      [prefix, range.from, new Date(Math.min(range.to.getTime(), asOf.getTime())), asOf]);
    const overdue: (OverdueEvent & { total: number })[] = await m.query(
      `SELECT m.id, h.householder, r.full_name AS "villageFullName", m.kind, rc.name AS reporter, c.name AS cadre,
              m.reported_at AS "reportedAt", m.due_at AS "dueAt",
              floor(extract(epoch FROM ($2::timestamptz - m.due_at)) / 86400)::int AS days, count(*) OVER ()::int AS total
         FROM regions r JOIN must_visits m ON m.village_id = r.id JOIN households h ON h.id = m.household_id
         JOIN cadres rc ON rc.id = m.reporter_id LEFT JOIN cadres c ON c.id = m.cadre_id
        WHERE r.path LIKE $1 AND r.level = 4 AND m.revoked_at IS NULL AND m.reported_at < $2
          AND m.due_at < $2 AND (m.done_at IS NULL OR m.done_at > $2)
        ORDER BY m.due_at, m.id
        LIMIT ${LISTED}`,
      [prefix, asOf]);
    const strip = <T extends { total: number }>(rows: T[]) => rows.map(({ total: _t, ...r }) => r);
    return {
      totals: figures.get(scope.id)!,
      byChild: children.map((c) => ({ ...c, ...figures.get(c.id)! })),
      byCadre: { total: cadres[0]?.total ?? 0, rows: strip(cadres) },
      overdue: { total: overdue[0]?.total ?? 0, rows: strip(overdue) },
    };
  });
}
