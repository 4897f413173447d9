import type { Region } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { getRules } from '../rules/rules';
import type { Db } from '../../lib/db';

/**
 * Notices sent to a scope or below it, newest first, with the acknowledgement
 * rate (回复"收到"), the on-time rate (acknowledged within
 * notice.followup_hours, before any reminder went out) and the attendance
 * rate: recipients who checked in at a village of the notice's scope between
 * sending and attend_until (else notice.report_hours later) — the same window
 * as the sender's receipt from jobs/notice-followup.ts.
 */

export interface NoticeRow {
  id: number;
  /** The 五必到 kind: 会议, 突发, 活动 or 交办. */
  kind: string;
  content: string;
  sender: string;
  scopeFullName: string;
  createdAt: Date;
  recipients: number;
  acked: number;
  ackedOnTime: number;
  attended: number;
  ackRate: number;
  onTimeRate: number;
  attendanceRate: number;
}

export async function noticesPage(
  db: Db, scope: Region, page: { limit: number; offset: number },
): Promise<{ total: number; rows: NoticeRow[] }> {
  const rules = await getRules(db, ['notice.followup_hours', 'notice.report_hours']);
  const rows: (Omit<NoticeRow, 'ackRate' | 'onTimeRate' | 'attendanceRate'> & { total: number })[] = await db.query(
    `WITH ns AS (
       SELECT n.id, n.kind, n.content, n.created_at, n.sender_id, r.full_name, r.path,
              coalesce(n.attend_until, n.created_at + make_interval(hours => $5)) AS window_end, count(*) OVER ()::int AS total
         FROM regions r JOIN notices n ON n.scope_region_id = r.id
        WHERE r.path LIKE $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $3 OFFSET $4)
     SELECT ns.id, ns.kind, ns.content, c.name AS sender, ns.full_name AS "scopeFullName", ns.created_at AS "createdAt", ns.total,
            count(nr.cadre_id)::int AS recipients, count(nr.acked_at)::int AS acked,
            count(*) FILTER (WHERE nr.acked_at <= ns.created_at + make_interval(hours => $2))::int AS "ackedOnTime",
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM visits v JOIN regions vr ON vr.id = v.village_id
               WHERE v.cadre_id = nr.cadre_id AND v.revoked_at IS NULL AND v.started_at >= ns.created_at
                 AND v.started_at < ns.window_end AND vr.path LIKE ns.path || '%'))::int AS attended
       FROM ns JOIN cadres c ON c.id = ns.sender_id LEFT JOIN notice_recipients nr ON nr.notice_id = ns.id
      GROUP BY ns.id, ns.kind, ns.content, c.name, ns.full_name, ns.created_at, ns.total
      ORDER BY ns.created_at DESC, ns.id DESC`,
    [subtreeLike(scope.path), rules['notice.followup_hours'], page.limit, page.offset, rules['notice.report_hours']],
  );
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, ...r }) => ({
      ...r,
      ackRate: r.recipients === 0 ? 0 : r.acked / r.recipients,
      onTimeRate: r.recipients === 0 ? 0 : r.ackedOnTime / r.recipients,
      attendanceRate: r.recipients === 0 ? 0 : r.attended / r.recipients,
    })),
  };
}
