import type { EntityManager } from 'typeorm';
import { Notice, type NoticeKind, type Region } from '../../../entities';
import { cadresLinkedUnder } from '../people/links';
import { addToOutbox } from '../outbox/write';
import { noticeCardMessages } from './cards';
import { robotMarkdownMessage } from './robot-markdown';
import { placeName } from '../../lib/place';
import { subtreeLike } from '../people/regions';
import { getRule } from '../rules/rules';

/**
 * 通知: an urgent notice to every cadre linked to a village in a scope and to
 * the scope's groups. The sender is never among its recipients (nor in its
 * acknowledgement rate), even when they are linked to a village in the scope.
 * A notice has a 五必到 kind; a check-in in the scope from the notice until its
 * end (attend_until: 'notice.report_hours' after it) is attendance.
 */

/** The longest notice text, in characters, the chat's 通知 and the console's 发通知 alike. */
export const NOTICE_MAX_CHARS = 600;

/** The heading recipients see, per kind. */
export const NOTICE_HEADINGS: Record<NoticeKind, string> = { 会议: '会议通知', 突发: '紧急通知', 活动: '活动通知', 交办: '交办事项' };

const GROUP_ASK = '请在企业微信“双联助手”应用中回复“收到”确认，在群里回复不计入。';
const NOTICE_TEXT = (kind: NoticeKind, content: string, sender: string) =>
  `【${NOTICE_HEADINGS[kind]}】${content}\n——${sender}\n请回复“收到”确认。`;

export interface SentNotice {
  notice: Notice;
  recipients: number;
  groups: number;
}

export async function sendNotice(
  manager: EntityManager,
  input: { sender: { id: number; name: string }; scope: Pick<Region, 'id' | 'path' | 'fullName'>; kind: NoticeKind; content: string; now: Date },
): Promise<SentNotice> {
  const { sender, scope, kind, content, now } = input;
  const hours = await getRule(manager, 'notice.report_hours');
  const repo = manager.getRepository(Notice);
  const notice = await repo.save(repo.create({
    senderId: sender.id, scopeRegionId: scope.id, kind, content, createdAt: now,
    attendUntil: new Date(now.getTime() + hours * 3_600_000), reportedAt: null,
  }));
  const cadres = (await cadresLinkedUnder(manager, scope.path, now)).filter((c) => c.id !== sender.id);
  await manager.query(
    `INSERT INTO notice_recipients (notice_id, cadre_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
    [notice.id, cadres.map((c) => c.id)],
  );
  const groups: { id: number }[] = await manager.query(
    'SELECT g.id FROM groups g JOIN regions r ON r.id = g.scope_region_id WHERE r.path LIKE $1 ORDER BY g.id',
    [subtreeLike(scope.path)],
  );
  const text = NOTICE_TEXT(kind, content, sender.name);
  const scopeName = placeName(scope.fullName);
  await addToOutbox(manager, [
    // A button card with 收到 (cards.ts); the text is its fallback.
    ...noticeCardMessages(
      { notice, heading: NOTICE_HEADINGS[kind], kind, scopeName, senderName: sender.name, fallbackText: text },
      cadres.map((c) => c.userid),
    ),
    // Groups get markdown; their robot cannot take a tap or a reply.
    ...groups.map((g) => robotMarkdownMessage(`notice:${notice.id}:group:${g.id}`, g.id, {
      title: NOTICE_HEADINGS[kind], body: content,
      details: [`范围：${scopeName}`, `发送人：${sender.name}`], ask: GROUP_ASK,
    })),
  ]);
  return { notice, recipients: cadres.length, groups: groups.length };
}

export type AckResult =
  | { kind: 'acked'; notice: Notice; senderName: string }
  | { kind: 'none' };

/** 收到: acknowledges the latest notice to the cadre that is not yet acknowledged. */
export async function ackLatestNotice(manager: EntityManager, cadreId: number, now: Date): Promise<AckResult> {
  const rows: { notice_id: number; sender_name: string }[] = await manager.query(
    `SELECT nr.notice_id, c.name AS sender_name FROM notice_recipients nr
       JOIN notices n ON n.id = nr.notice_id JOIN cadres c ON c.id = n.sender_id
      WHERE nr.cadre_id = $1 AND nr.acked_at IS NULL
      ORDER BY n.created_at DESC, n.id DESC LIMIT 1 FOR UPDATE OF nr`,
    [cadreId],
  );
  if (rows.length === 0) return { kind: 'none' };
  await manager.query('UPDATE notice_recipients SET acked_at = $3 WHERE notice_id = $1 AND cadre_id = $2',
    [rows[0].notice_id, cadreId, now]);
  const notice = await manager.getRepository(Notice).findOneByOrFail({ id: rows[0].notice_id });
  return { kind: 'acked', notice, senderName: rows[0].sender_name };
}

export type AckOneResult =
  | { kind: 'acked' | 'already'; notice: Notice; senderName: string; ackedAt: Date }
  | { kind: 'none' };

/** A tap on a notice's 收到 button: acknowledges that notice (none when the cadre is not its recipient). */
export async function ackNotice(manager: EntityManager, cadreId: number, noticeId: number, now: Date): Promise<AckOneResult> {
  const rows: { acked_at: Date | null; sender_name: string }[] = await manager.query(
    `SELECT nr.acked_at, c.name AS sender_name FROM notice_recipients nr
       JOIN notices n ON n.id = nr.notice_id JOIN cadres c ON c.id = n.sender_id
      WHERE nr.cadre_id = $1 AND nr.notice_id = $2 FOR UPDATE OF nr`,
    [cadreId, noticeId],
  );
  if (rows.length === 0) return { kind: 'none' };
  const notice = await manager.getRepository(Notice).findOneByOrFail({ id: noticeId });
  if (rows[0].acked_at) return { kind: 'already', notice, senderName: rows[0].sender_name, ackedAt: new Date(rows[0].acked_at) };
  await manager.query('UPDATE notice_recipients SET acked_at = $3 WHERE notice_id = $1 AND cadre_id = $2', [noticeId, cadreId, now]);
  return { kind: 'acked', notice, senderName: rows[0].sender_name, ackedAt: now };
}
