import type { DataSource, EntityManager } from 'typeorm';
import type { Region } from '../../../entities';
import { subtreeLike } from '../regions';
import { getRule } from '../rules';

/**
 * Notices sent to a scope or below it, newest first, with the acknowledgement
 * rate (回复"收到") and the on-time rate (acknowledged within
 * notice.followup_hours, before any reminder went out).
 */

type Db = DataSource | EntityManager;

export interface NoticeRow {
  id: number;
  content: string;
  sender: string;
  scopeFullName: string;
  createdAt: Date;
  recipients: number;
  acked: number;
  ackedOnTime: number;
  ackRate: number;
  onTimeRate: number;
}

export async function noticesPage(
  db: Db, scope: Region, page: { limit: number; offset: number },
): Promise<{ total: number; rows: NoticeRow[] }> {
  const hours = await getRule(db, 'notice.followup_hours');
  const rows: (Omit<NoticeRow, 'ackRate' | 'onTimeRate'> & { total: number })[] = await db.query(
    `WITH ns AS (
       SELECT n.id, n.content, n.created_at, n.sender_id, r.full_name, count(*) OVER ()::int AS total
         FROM regions r JOIN notices n ON n.scope_region_id = r.id
        WHERE r.path LIKE $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $3 OFFSET $4)
     SELECT ns.id, ns.content, c.name AS sender, ns.full_name AS "scopeFullName", ns.created_at AS "createdAt", ns.total,
            count(nr.cadre_id)::int AS recipients, count(nr.acked_at)::int AS acked,
            count(*) FILTER (WHERE nr.acked_at <= ns.created_at + make_interval(hours => $2))::int AS "ackedOnTime"
       FROM ns JOIN cadres c ON c.id = ns.sender_id LEFT JOIN notice_recipients nr ON nr.notice_id = ns.id
      GROUP BY ns.id, ns.content, c.name, ns.full_name, ns.created_at, ns.total
      ORDER BY ns.created_at DESC, ns.id DESC`,
    [subtreeLike(scope.path), hours, page.limit, page.offset],
  );
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _t, ...r }) => ({
      ...r,
      ackRate: r.recipients === 0 ? 0 : r.acked / r.recipients,
      onTimeRate: r.recipients === 0 ? 0 : r.ackedOnTime / r.recipients,
    })),
  };
}
