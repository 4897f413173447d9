import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { addDays, startOfShanghaiDay } from '../../lib/time';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * The work of a scope over a period (the console's 本周工作 page and the 通报),
 * beside the same figures for the period of the same length just before it
 * or, for this week so far, the same days of the week before
 * (docs/console.md "工作概况 and the 通报"). A period is a pair of Shanghai dates, both
 * included. Every figure is read from the rollups or from the period's own rows
 * through an index on (village, time); none reads a year of history unless the
 * period asked is a year:
 *  - checkins: village check-ins begun in the period (region_activity day rows;
 *    a village scope counts its visits);
 *  - villagesReached: villages of the scope with at least one check-in begun in
 *    the period (one index probe per village), out of `villages`;
 *  - householdsVisited: distinct households with a household visit in the period;
 *  - problemsOpened / problemsClosed: ledger problems reported / closed (销号,
 *    and closed still) in the period, 已撤销 left out;
 *  - noticesUnacknowledged: recipients of the notices sent in the period to the
 *    scope or a region below it who have not answered 收到 (as of now).
 */

export interface WorkPeriod {
  /** First and last Shanghai date, YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

export interface WorkFigures {
  checkins: number;
  villagesReached: number;
  villages: number;
  householdsVisited: number;
  problemsOpened: number;
  problemsClosed: number;
  noticesUnacknowledged: number;
}

export interface WorkSummary {
  period: WorkPeriod;
  previous: WorkPeriod;
  current: WorkFigures;
  before: WorkFigures;
}

/** The deepest region level that keeps region_activity rows (township). */
const ROLLUP_LEVEL = 3;
const DAY_MS = 86_400_000;

/** Days in a period, both ends included. */
export function periodDays(p: WorkPeriod): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * The period of the same length just before `p`; a part of a week that starts on
 * its Monday (本周 so far) is set against the same days of the week before
 * (上周同期), not against the weekend just gone.
 */
export function previousPeriod(p: WorkPeriod): WorkPeriod {
  const days = periodDays(p);
  const monday = new Date(`${p.from}T00:00:00Z`).getUTCDay() === 1;
  const back = monday && days < 7 ? 7 : days;
  return { from: addDays(p.from, -back), to: addDays(p.to, -back) };
}

/** [from 00:00, the day after `to` 00:00) in Shanghai. */
export function periodInstants(p: WorkPeriod): [Date, Date] {
  return [startOfShanghaiDay(p.from), startOfShanghaiDay(addDays(p.to, 1))];
}

export async function workSummary(db: Db, scope: Region, period: WorkPeriod): Promise<WorkSummary> {
  const previous = previousPeriod(period);
  return consoleRead(db, async (m) => ({
    period, previous,
    current: await workFigures(m, scope, period),
    before: await workFigures(m, scope, previous),
  }));
}

async function workFigures(db: Db, scope: Region, period: WorkPeriod): Promise<WorkFigures> {
  const prefix = subtreeLike(scope.path);
  const [from, to] = periodInstants(period);
  const checkins = scope.level <= ROLLUP_LEVEL
    ? await db.query(
      `SELECT coalesce(sum(checkins), 0)::int AS n FROM region_activity
        WHERE region_id = $1 AND bucket = 'd' AND start >= $2::date AND start <= $3::date`,
      [scope.id, period.from, period.to])
    : await db.query(
      `SELECT count(*)::int AS n FROM visits WHERE village_id = $1 AND revoked_at IS NULL AND started_at >= $2 AND started_at < $3`,
      [scope.id, from, to]);
  const [villages]: { villages: number; reached: number }[] = await db.query(
    `SELECT count(*)::int AS villages,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM visits v WHERE v.village_id = r.id AND v.revoked_at IS NULL
                 AND v.started_at >= $2 AND v.started_at < $3))::int AS reached
       FROM regions r WHERE r.path LIKE $1 AND r.level = 4`,
    [prefix, from, to]);
  const [households]: { n: number }[] = await db.query(
    `SELECT count(DISTINCT hv.household_id)::int AS n
       FROM regions r JOIN household_visits hv ON hv.village_id = r.id
      WHERE r.path LIKE $1 AND r.level = 4 AND hv.revoked_at IS NULL AND hv.visited_at >= $2 AND hv.visited_at < $3`,
    [prefix, from, to]);
  const [problems]: { opened: number; closed: number }[] = await db.query(
    `SELECT count(*) FILTER (WHERE p.reported_at >= $2 AND p.reported_at < $3)::int AS opened,
            count(*) FILTER (WHERE p.status = 'closed' AND p.closed_at >= $2 AND p.closed_at < $3)::int AS closed
       FROM problems p
      WHERE p.village_id IN (SELECT id FROM regions WHERE path LIKE $1 AND level = 4) AND p.revoked_at IS NULL
        AND (p.reported_at >= $2 AND p.reported_at < $3 OR p.closed_at >= $2 AND p.closed_at < $3)`,
    [prefix, from, to]);
  const [unacked]: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n
       FROM regions r JOIN notices n ON n.scope_region_id = r.id
       JOIN notice_recipients nr ON nr.notice_id = n.id AND nr.acked_at IS NULL
      WHERE r.path LIKE $1 AND n.created_at >= $2 AND n.created_at < $3`,
    [prefix, from, to]);
  return {
    checkins: (checkins as { n: number }[])[0].n,
    villagesReached: villages.reached, villages: villages.villages,
    householdsVisited: households.n,
    problemsOpened: problems.opened, problemsClosed: problems.closed,
    noticesUnacknowledged: unacked.n,
  };
}

