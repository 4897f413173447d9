import { pathIds } from '../people/regions';
import type { Db } from '../../lib/db';

/**
 * Overdue problems and their escalation. A problem overdue by more than N =
 * 'problem.escalate_after_days' days goes one level up per N days: first to
 * the township's leaders, after 2N to the county's, after 3N to the city's (a
 * level without a leader passes to the next one up). Each escalation is
 * recorded once as a problem_events 'escalated' row with data {level, regionId},
 * which is how the next run knows the level already reached. A reopened problem
 * starts afresh from its new deadline: only escalations after its last 'reopened' count.
 */

export interface OverdueProblem {
  id: number;
  code: string;
  description: string;
  village: string;
  path: string;
  days: number;
  /** The owner's userid; null when the problem has no active owner. */
  owner: string | null;
  /** The highest level already escalated to (0 none). */
  escalated: number;
}

/** The leaders of one region a problem is escalated to. */
export interface EscalationTarget {
  regionId: number;
  name: string;
  userids: string[];
}

export interface Escalation {
  problem: OverdueProblem;
  target: EscalationTarget;
}

/** The level a problem overdue by `days` should have reached: 0 none, 1 township, 2 county, 3 city. */
export function escalationLevel(days: number, afterDays: number): number {
  if (afterDays <= 0 || days <= afterDays) return 0;
  return Math.min(3, Math.ceil(days / afterDays) - 1);
}

/** Open, unrevoked problems past their deadline on `today` (YYYY-MM-DD), oldest deadline first. */
export async function overdueProblems(db: Db, today: string): Promise<OverdueProblem[]> {
  return db.query(
    `SELECT p.id, p.code, p.description, r.name AS village, r.path, ($1::date - p.deadline) AS days, o.userid AS owner,
            coalesce((SELECT max((e.data->>'level')::int) FROM problem_events e
                       WHERE e.problem_id = p.id AND e.kind = 'escalated'
                         AND e.at > coalesce((SELECT max(ro.at) FROM problem_events ro
                                               WHERE ro.problem_id = p.id AND ro.kind = 'reopened'), '-infinity')), 0) AS escalated
       FROM problems p JOIN regions r ON r.id = p.village_id
       LEFT JOIN cadres o ON o.id = p.owner_cadre_id AND o.active
      WHERE p.status = 'open' AND p.revoked_at IS NULL AND p.deadline < $1::date
      ORDER BY p.deadline, p.id`,
    [today],
  );
}

/**
 * Escalates every problem whose level (escalationLevel) is above the one it
 * reached and that has leaders to go to, recording each once; returns them in
 * `overdue`'s order. `note` is the event's text (days overdue, region name).
 */
export async function escalateOverdue(
  db: Db, overdue: OverdueProblem[], afterDays: number, now: Date, note: (days: number, region: string) => string,
): Promise<Escalation[]> {
  const out: Escalation[] = [];
  // Many problems share a township: each region's leaders are read once per run.
  const cache = new Map<number, EscalationTarget | null>();
  for (const p of overdue) {
    const level = escalationLevel(p.days, afterDays);
    if (level <= p.escalated) continue;
    const target = await leadersAbove(db, p.path, level, cache);
    if (!target) continue;
    await db.query(
      `INSERT INTO problem_events (problem_id, kind, note, data, at) VALUES ($1, 'escalated', $2, $3, $4)`,
      [p.id, note(p.days, target.name), JSON.stringify({ level, regionId: target.regionId }), now]);
    out.push({ problem: p, target });
  }
  return out;
}

/** Leaders of the village's ancestor at region level 4 − level (3 township, 2 county, 1 city), or higher up. */
export async function leadersAbove(
  db: Db, villagePath: string, level: number, cache: Map<number, EscalationTarget | null>,
): Promise<EscalationTarget | null> {
  const ids = pathIds(villagePath); // [province, city, county, township, village]
  for (let regionLevel = 4 - level; regionLevel >= 0; regionLevel--) {
    const regionId = ids[regionLevel];
    if (!cache.has(regionId)) {
      const rows: { userid: string; region: string }[] = await db.query(
        `SELECT c.userid, r.name AS region FROM cadres c JOIN regions r ON r.id = c.scope_region_id
          WHERE c.scope_region_id = $1 AND c.active AND c.role = '领导' ORDER BY c.id`, [regionId]);
      cache.set(regionId, rows.length > 0 ? { regionId, name: rows[0].region, userids: rows.map((r) => r.userid) } : null);
    }
    const found = cache.get(regionId);
    if (found) return found;
  }
  return null;
}
