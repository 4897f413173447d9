import { pathIds } from '../people/regions';
import type { Db } from '../../lib/db';

/**
 * 五必访 figures of regions over a window (统计: the year so far; digests: the
 * period), from one grouped statement per village over the subtree, rolled up
 * to the requested regions along each village's path:
 *  - due: events whose deadline fell in the window (before `asOf`);
 *  - inTime: of those, visited by their deadline;
 *  - overdue: events past their deadline and not visited at `asOf`, whenever reported.
 */

export interface MustVisitFigures {
  due: number;
  inTime: number;
  overdue: number;
}

export async function mustVisitFigures(
  db: Db, prefix: string, regionIds: number[], window: [Date, Date], asOf: Date,
): Promise<Map<number, MustVisitFigures>> {
  const until = new Date(Math.min(window[1].getTime(), asOf.getTime()));
  const rows: { path: string; due: number; in_time: number; overdue: number }[] = await db.query(
    `SELECT r.path,
            count(*) FILTER (WHERE m.due_at >= $2 AND m.due_at < $3)::int AS due,
            count(*) FILTER (WHERE m.due_at >= $2 AND m.due_at < $3 AND m.done_at <= m.due_at)::int AS in_time,
            count(*) FILTER (WHERE m.due_at < $4 AND (m.done_at IS NULL OR m.done_at > $4))::int AS overdue
       FROM must_visits m JOIN regions r ON r.id = m.village_id
      WHERE r.path LIKE $1 AND m.revoked_at IS NULL AND m.reported_at < $4
        AND ((m.due_at >= $2 AND m.due_at < $3) OR (m.due_at < $4 AND (m.done_at IS NULL OR m.done_at > $4)))
      GROUP BY r.path`,
    [prefix, window[0], until, asOf],
  );
  const wanted = new Set(regionIds);
  const out = new Map<number, MustVisitFigures>(regionIds.map((id) => [id, { due: 0, inTime: 0, overdue: 0 }]));
  for (const r of rows) {
    for (const id of pathIds(r.path)) {
      if (!wanted.has(id)) continue;
      const f = out.get(id)!;
      f.due += r.due; f.inTime += r.in_time; f.overdue += r.overdue;
    }
  }
  return out;
}
