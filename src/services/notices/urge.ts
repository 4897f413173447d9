import type { EntityManager } from 'typeorm';
import type { NoticeKind } from '../../../entities';
import { formatShanghai } from '../../lib/time';
import { addToOutbox, textMessage } from '../outbox/write';
import { getRule } from '../rules/rules';
import { NOTICE_HEADINGS } from './notices';
import type { Db } from '../../lib/db';

/**
 * 催办 from the console: the notice again, through the outbox, to its active
 * recipients still without 收到 (as a follow-up round reminds them,
 * follow-up.ts), at most once per 'notice.urge_minutes'. Every press is kept
 * in notice_urges with who pressed it, when, and how many it reached.
 */

const URGE_TEXT = (heading: string, content: string, sender: string, sent: Date, urger: string) =>
  `【催办】${formatShanghai(sent)}的${heading}您还没有回复“收到”：\n${content}\n——${sender}（${urger}催办）\n请回复“收到”确认。`;

export interface NoticeUrge {
  urgedAt: Date;
  by: string;
  recipients: number;
}

export type UrgeResult =
  | { kind: 'urged'; recipients: number; urgedAt: Date }
  | { kind: 'too_soon'; nextAt: Date; minutes: number }
  | { kind: 'nobody' }
  | { kind: 'not_found' };

export async function urgeNotice(
  manager: EntityManager, input: { noticeId: number; urger: { id: number; name: string }; now: Date },
): Promise<UrgeResult> {
  const { noticeId, urger, now } = input;
  // The notice row's lock makes two presses at once take turns, so the interval holds.
  const [notice]: { kind: NoticeKind; content: string; created_at: Date; sender: string }[] = await manager.query(
    `SELECT n.kind, n.content, n.created_at, c.name AS sender FROM notices n JOIN cadres c ON c.id = n.sender_id
      WHERE n.id = $1 FOR UPDATE OF n`,
    [noticeId],
  );
  if (!notice) return { kind: 'not_found' };
  const minutes = await getRule(manager, 'notice.urge_minutes');
  const [last]: { urged_at: Date }[] = await manager.query(
    'SELECT urged_at FROM notice_urges WHERE notice_id = $1 ORDER BY urged_at DESC LIMIT 1', [noticeId]);
  if (last) {
    const nextAt = new Date(new Date(last.urged_at).getTime() + minutes * 60_000);
    if (now < nextAt) return { kind: 'too_soon', nextAt, minutes };
  }
  const pending: { userid: string }[] = await manager.query(
    `SELECT c.userid FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id AND c.active
      WHERE nr.notice_id = $1 AND nr.acked_at IS NULL ORDER BY nr.cadre_id`,
    [noticeId],
  );
  if (pending.length === 0) return { kind: 'nobody' };
  const [{ id }]: { id: number }[] = await manager.query(
    'INSERT INTO notice_urges (notice_id, cadre_id, urged_at, recipients) VALUES ($1, $2, $3, $4) RETURNING id',
    [noticeId, urger.id, now, pending.length],
  );
  const text = URGE_TEXT(NOTICE_HEADINGS[notice.kind], notice.content, notice.sender, new Date(notice.created_at), urger.name);
  await addToOutbox(manager, [textMessage(`notice-urge:${noticeId}:${id}`, pending.map((p) => p.userid), text)]);
  return { kind: 'urged', recipients: pending.length, urgedAt: now };
}

/** The notice's 催办 so far, newest first, and when the next one is allowed. */
export async function noticeUrges(db: Db, noticeId: number): Promise<{ urges: NoticeUrge[]; minutes: number; nextAt: Date | null }> {
  const minutes = await getRule(db, 'notice.urge_minutes');
  const rows: { urged_at: Date; by: string; recipients: number }[] = await db.query(
    `SELECT u.urged_at, c.name AS by, u.recipients FROM notice_urges u JOIN cadres c ON c.id = u.cadre_id
      WHERE u.notice_id = $1 ORDER BY u.urged_at DESC LIMIT 20`,
    [noticeId],
  );
  const urges = rows.map((r) => ({ urgedAt: new Date(r.urged_at), by: r.by, recipients: r.recipients }));
  return { urges, minutes, nextAt: urges[0] ? new Date(urges[0].urgedAt.getTime() + minutes * 60_000) : null };
}
