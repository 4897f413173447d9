import type { EntityManager } from 'typeorm';
import type { Notice } from '../../../entities';
import { formatShanghai } from '../../lib/time';
import type { OutboundFallback } from '../../wecom/messages';
import { addToOutbox, MAX_TOUSER, type OutboundMessage } from '../outbox/write';

/**
 * A 通知 as a button card (模板卡片, button_interaction; docs/wecom.md §8): the
 * notice's title, scope, kind, text, sender and deadline, with one 收到 button.
 * A tap comes back as template_card_event with the card's task id and a
 * response code; typing 收到 uses the response code message/send returned for
 * the recipient's card, while it is unused and valid. Either way the button
 * then reads 已确认 with the time (outbox channel card). WeCom refusing
 * the card type sends the row's text fallback instead (jobs/outbox-deliver.ts).
 */

/** The 收到 button's key. */
export const ACK_BUTTON_KEY = 'ack';
const ACK_BUTTON = '收到';
const ACKED_BUTTON = (at: Date) => `已确认 ${formatShanghai(at)}`;
const SOURCE = '双联助手';
const FIELDS = { sender: '发送人', scope: '范围', kind: '类别', deadline: '截止' };
/** WeCom's texts give a response code 24 h, and later 72 h: the shorter is assumed. */
export const RESPONSE_CODE_HOURS = 24;

const TASK_PREFIX = 'notice-';

/** A card's task id (unique per app): the notice and the part of its recipients. */
export function noticeTaskId(noticeId: number, part: number): string {
  return `${TASK_PREFIX}${noticeId}-${part}`;
}

/** The notice a card's task id names, or null for a task id that is not a notice card. */
export function noticeOfTask(taskId: string): number | null {
  const m = /^notice-(\d{1,10})-\d{1,6}$/.exec(taskId);
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
}

export interface NoticeCardInput {
  notice: Pick<Notice, 'id' | 'content' | 'createdAt'> & { attendUntil?: Date | null };
  heading: string;
  kind?: string;
  scopeName: string;
  senderName: string;
  /** The text message the card replaces (and becomes again when WeCom refuses cards). */
  fallbackText: string;
}

/** The notice's card rows, ≤1,000 recipients each, keyed like addToOutbox splits a text (`notice:<id>`, `notice:<id>#<n>`). */
export function noticeCardMessages(input: NoticeCardInput, userids: string[]): OutboundMessage[] {
  const to = [...new Set(userids)];
  const parts = Math.ceil(to.length / MAX_TOUSER);
  const fallback: OutboundFallback = { msgtype: 'text', text: { content: input.fallbackText } };
  return Array.from({ length: parts }, (_, i) => ({
    key: parts === 1 ? `notice:${input.notice.id}` : `notice:${input.notice.id}#${i + 1}`,
    channel: 'app' as const,
    to: to.slice(i * MAX_TOUSER, (i + 1) * MAX_TOUSER),
    payload: { msgtype: 'template_card' as const, template_card: noticeCard(input, noticeTaskId(input.notice.id, i + 1)), fallback },
  }));
}

function noticeCard(input: NoticeCardInput, taskId: string): Record<string, unknown> {
  const fields = [
    { keyname: FIELDS.sender, value: input.senderName },
    { keyname: FIELDS.scope, value: input.scopeName },
    ...(input.kind ? [{ keyname: FIELDS.kind, value: input.kind }] : []),
    ...(input.notice.attendUntil ? [{ keyname: FIELDS.deadline, value: formatShanghai(input.notice.attendUntil) }] : []),
  ];
  return {
    card_type: 'button_interaction',
    source: { desc: SOURCE },
    main_title: { title: `【${input.heading}】`, desc: formatShanghai(input.notice.createdAt) },
    sub_title_text: input.notice.content,
    horizontal_content_list: fields,
    task_id: taskId,
    button_list: [{ text: ACK_BUTTON, style: 1, key: ACK_BUTTON_KEY }],
  };
}

/**
 * After a 收到: the cadre's card of this notice reads 已确认 with the time. A tap
 * brings its own response code; a typed 收到 takes the unused, still valid code
 * of the row that carried the cadre's card (one per row, so only the first to
 * type 收到 among up to 1,000 recipients can have it: "when it can"). Returns
 * whether an update was queued.
 */
export async function queueAckedCardUpdate(
  manager: EntityManager,
  input: { noticeId: number; userid: string; ackedAt: Date; now: Date; tap?: { inboundId: number; responseCode: string } },
): Promise<boolean> {
  const code = input.tap?.responseCode || await takeSendCode(manager, input.noticeId, input.userid, input.now);
  if (!code) return false;
  const key = input.tap ? `card-update:tap:${input.tap.inboundId}` : `card-update:notice:${input.noticeId}:${input.userid}`;
  const ids = await addToOutbox(manager, [{
    key, channel: 'card', to: input.userid,
    payload: { response_code: code, button: { replace_name: ACKED_BUTTON(input.ackedAt) } },
  }]);
  return ids.length > 0;
}

async function takeSendCode(manager: EntityManager, noticeId: number, userid: string, now: Date): Promise<string | null> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
  const [rows]: [{ response_code: string }[], number] = await manager.query(
    `UPDATE outbox_messages SET response_code_used_at = $3
      WHERE id = (
        SELECT id FROM outbox_messages
         WHERE (idempotency_key = $1 OR idempotency_key LIKE $1 || '#%')
           AND response_code IS NOT NULL AND response_code_used_at IS NULL
           AND sent_at > $3::timestamptz - make_interval(hours => $4::int)
           AND $2 = ANY (string_to_array(recipient, '|'))
         LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING response_code`,
    [`notice:${noticeId}`, userid, now, RESPONSE_CODE_HOURS],
  );
  return rows[0]?.response_code ?? null;
}
