import type { NoticeKind } from '../../../entities';
import { subtreeLike } from '../people/regions';
import { getRule } from '../rules/rules';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * One notice in the console: what was sent, by whom, to where; the counts
 * first, then its recipients page by page as acknowledged (newest 收到 first),
 * not acknowledged (by roster order) or checked in at a village of the
 * notice's scope in its attendance window (from sending until attend_until,
 * else 'notice.report_hours' later, never after now: the window of the 通知回执
 * tab and of the sender's receipt). A province notice has ~500,000
 * recipients: both recipient lists page through notice_recipients_ack_idx,
 * and attendance starts from the window's check-ins (visits_started_idx).
 */

export type RecipientStatus = 'acked' | 'pending' | 'attended';

export interface NoticeHead {
  id: number;
  kind: NoticeKind;
  content: string;
  sender: string;
  scopeRegionId: number;
  scopeFullName: string;
  createdAt: Date;
  attendUntil: Date;
  counts: { recipients: number; acked: number; pending: number; attended: number };
}

export interface RecipientRow {
  cadreId: number;
  name: string;
  unit: string | null;
  mobile: string;
  /** 收到 time (acked), or the first check-in of the window (attended). */
  at: Date | null;
  /** The village of that first check-in (attended). */
  village?: string;
}

interface NoticeRow { id: number; kind: NoticeKind; content: string; sender: string; scope_region_id: number; full_name: string; path: string;
  created_at: Date; window_end: Date }

async function noticeRow(db: Db, noticeId: number): Promise<NoticeRow | null> {
  const hours = await getRule(db, 'notice.report_hours');
  const [n]: NoticeRow[] = await db.query(
    `SELECT n.id, n.kind, n.content, c.name AS sender, n.scope_region_id, r.full_name, r.path, n.created_at,
            coalesce(n.attend_until, n.created_at + make_interval(hours => $2)) AS window_end
       FROM notices n JOIN cadres c ON c.id = n.sender_id JOIN regions r ON r.id = n.scope_region_id WHERE n.id = $1`,
    [noticeId, hours],
  );
  return n ?? null;
}

/** The notice's scope region, for the caller's scope check; null when there is no such notice. */
export async function noticeScope(db: Db, noticeId: number): Promise<number | null> {
  const [n]: { scope_region_id: number }[] = await db.query('SELECT scope_region_id FROM notices WHERE id = $1', [noticeId]);
  return n?.scope_region_id ?? null;
}

/** The attendance window's first check-in per recipient, in the notice's scope. */
const ATTENDED = `
  SELECT DISTINCT ON (v.cadre_id) v.cadre_id, v.started_at, vr.full_name AS village
    FROM visits v JOIN regions vr ON vr.id = v.village_id
   WHERE v.started_at >= $2 AND v.started_at < $3 AND v.revoked_at IS NULL AND vr.path LIKE $4
     AND EXISTS (SELECT 1 FROM notice_recipients nr WHERE nr.notice_id = $1 AND nr.cadre_id = v.cadre_id)
   ORDER BY v.cadre_id, v.started_at`;

const attendArgs = (n: NoticeRow, now: Date) =>
  [n.id, n.created_at, new Date(Math.min(new Date(n.window_end).getTime(), now.getTime())), subtreeLike(n.path)];

export async function noticeHead(db: Db, noticeId: number, now: Date): Promise<NoticeHead | null> {
  return consoleRead(db, async (m) => {
    const n = await noticeRow(m, noticeId);
    if (!n) return null;
    const [c]: { recipients: number; acked: number }[] = await m.query(
      'SELECT count(*)::int AS recipients, count(acked_at)::int AS acked FROM notice_recipients WHERE notice_id = $1', [noticeId]);
    const [a]: { attended: number }[] = await m.query(`SELECT count(*)::int AS attended FROM (${ATTENDED}) a`, attendArgs(n, now));
    return {
      id: n.id, kind: n.kind, content: n.content, sender: n.sender, scopeRegionId: n.scope_region_id, scopeFullName: n.full_name,
      createdAt: n.created_at, attendUntil: n.window_end,
      counts: { recipients: c.recipients, acked: c.acked, pending: c.recipients - c.acked, attended: a.attended },
    };
  });
}

const PERSON = `c.id AS "cadreId", c.name, u.name AS unit, c.mobile`;

export async function noticeRecipients(
  db: Db, noticeId: number, status: RecipientStatus, page: { limit: number; offset: number }, now: Date,
): Promise<{ total: number; rows: RecipientRow[] }> {
  return consoleRead(db, async (m) => {
    if (status === 'attended') {
      const n = await noticeRow(m, noticeId);
      if (!n) return { total: 0, rows: [] };
      const rows: (RecipientRow & { total: number })[] = await m.query(
        `WITH a AS (${ATTENDED})
         SELECT ${PERSON}, a.started_at AS at, a.village, count(*) OVER ()::int AS total
           FROM a JOIN cadres c ON c.id = a.cadre_id LEFT JOIN units u ON u.id = c.unit_id
          ORDER BY a.started_at DESC, c.id LIMIT $5 OFFSET $6`,
        [...attendArgs(n, now), page.limit, page.offset],
      );
      return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
    }
    // Counted apart from the page: count(*) OVER () would read every row the page skips anyway, twice over.
    const acked = status === 'acked';
    const where = `nr.notice_id = $1 AND nr.acked_at IS ${acked ? 'NOT NULL' : 'NULL'}`;
    const [{ total }]: { total: number }[] = await m.query(`SELECT count(*)::int AS total FROM notice_recipients nr WHERE ${where}`, [noticeId]);
    const rows: RecipientRow[] = await m.query(
      `SELECT ${PERSON}, nr.acked_at AS at
         FROM (SELECT nr.cadre_id, nr.acked_at FROM notice_recipients nr WHERE ${where}
                ORDER BY ${acked ? 'nr.acked_at DESC, nr.cadre_id DESC' : 'nr.cadre_id'} LIMIT $2 OFFSET $3) nr
         JOIN cadres c ON c.id = nr.cadre_id LEFT JOIN units u ON u.id = c.unit_id
        ORDER BY ${acked ? 'nr.acked_at DESC, c.id DESC' : 'c.id'}`,
      [noticeId, page.limit, page.offset],
    );
    return { total, rows };
  });
}
