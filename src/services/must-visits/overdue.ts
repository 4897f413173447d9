import type { MustVisitKind } from '../../../entities';
import { leadersAbove, type EscalationTarget } from '../problems/overdue';
import type { Db } from '../../lib/db';

/**
 * Overdue must-visits (jobs/must-visit-reminders.ts): open events past their
 * deadline. 'must_visit.escalate_after_days' days past it, an event is reported
 * once to the leaders of its township (or the nearest region above with a
 * leader), and marked escalated_at so no later run reports it again.
 */

export interface OverdueMustVisit {
  id: number;
  householder: string;
  village: string;
  path: string;
  kind: MustVisitKind;
  dueAt: Date;
  /** Whole days past the deadline (0 on the first day after it). */
  days: number;
  /** The cadre who owes the visit; null when inactive or none. */
  cadre: { userid: string; name: string } | null;
  escalated: boolean;
}

/** Open events past their deadline at `now`, oldest deadline first (must_visits_open_due_idx). */
export async function overdueMustVisits(db: Db, now: Date): Promise<OverdueMustVisit[]> {
  const rows: { id: number; householder: string; village: string; path: string; kind: MustVisitKind; due_at: Date;
    days: number; userid: string | null; name: string | null; escalated: boolean }[] = await db.query(
    `SELECT m.id, h.householder, r.name AS village, r.path, m.kind, m.due_at,
            floor(extract(epoch FROM ($1::timestamptz - m.due_at)) / 86400)::int AS days,
            c.userid, c.name, m.escalated_at IS NOT NULL AS escalated
       FROM must_visits m JOIN households h ON h.id = m.household_id JOIN regions r ON r.id = m.village_id
       LEFT JOIN cadres c ON c.id = m.cadre_id AND c.active
      WHERE m.done_at IS NULL AND m.revoked_at IS NULL AND m.due_at < $1
      ORDER BY m.due_at, m.id`,
    [now],
  );
  return rows.map((r) => ({
    id: r.id, householder: r.householder, village: r.village, path: r.path, kind: r.kind, dueAt: new Date(r.due_at),
    days: r.days, cadre: r.userid ? { userid: r.userid, name: r.name! } : null, escalated: r.escalated,
  }));
}

/**
 * Reports to the township's leaders every overdue event `afterDays` or more past
 * its deadline and not reported before; returns each with the leaders it went to.
 */
export async function escalateMustVisits(
  db: Db, overdue: OverdueMustVisit[], afterDays: number, now: Date,
): Promise<{ event: OverdueMustVisit; target: EscalationTarget }[]> {
  const out: { event: OverdueMustVisit; target: EscalationTarget }[] = [];
  const cache = new Map<number, EscalationTarget | null>();
  for (const e of overdue) {
    if (e.escalated || now.getTime() - e.dueAt.getTime() < afterDays * 86_400_000) continue;
    const target = await leadersAbove(db, e.path, 1, cache);
    if (!target) continue;
    await db.query('UPDATE must_visits SET escalated_at = $2 WHERE id = $1', [e.id, now]);
    out.push({ event: e, target });
  }
  return out;
}
