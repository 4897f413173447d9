import { addToOutbox, textMessage } from '../src/services/outbox/write';
import { getRule } from '../src/services/rules/rules';
import { formatDuration, formatShanghai } from '../src/lib/time';
import { inTransaction, type JobDeps, type JobSummary } from './deps';

/**
 * Open check-ins are closed at the end of their (Shanghai) day, the duration
 * capped at 'checkin.auto_checkout_cap_hours' (and never past "now"), marked
 * auto_closed, and the cadre is told. Idempotent: only open rows are touched.
 */

const TOLD = (village: string, started: Date, ended: Date, minutes: number, cap: number) =>
  `【自动签退】您${formatShanghai(started)}在${village}的签到未签退，系统已按${formatShanghai(ended)}自动签退，` +
  `计入${formatDuration(minutes)}（未签退时最多计${cap}小时）。下次离村请回复“签退”。`;

export async function runAutoCheckout(deps: JobDeps, now: Date): Promise<JobSummary> {
  const cap = await getRule(deps.db, 'checkin.auto_checkout_cap_hours');
  return inTransaction(deps, 'auto-checkout', async (manager) => {
    const closed: { id: number; userid: string; village: string; started_at: Date; ended_at: Date; duration_minutes: number }[] =
      (await manager.query(
        `WITH c AS (
           SELECT v.id, least(v.started_at + make_interval(hours => $2::int),
                              ((v.started_at AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
                              greatest($1::timestamptz, v.started_at)) AS ended_at
             FROM visits v
            WHERE v.ended_at IS NULL AND v.revoked_at IS NULL
              AND (v.started_at AT TIME ZONE 'Asia/Shanghai')::date <= ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
            FOR UPDATE OF v)
         UPDATE visits v SET ended_at = c.ended_at, auto_closed = true,
                duration_minutes = floor(extract(epoch FROM c.ended_at - v.started_at) / 60)::int
           FROM c, cadres cd, regions r
          WHERE v.id = c.id AND cd.id = v.cadre_id AND r.id = v.village_id
         RETURNING v.id, cd.userid, r.name AS village, v.started_at, v.ended_at, v.duration_minutes`,
        [now, cap],
      ))[0];
    const outboxIds = await addToOutbox(manager, closed.map((v) => textMessage(
      `auto-checkout:${v.id}`, v.userid, TOLD(v.village, new Date(v.started_at), new Date(v.ended_at), v.duration_minutes, cap))));
    return { summary: { closed: closed.length, queued: outboxIds.length }, outboxIds };
  });
}
