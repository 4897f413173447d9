import type { OutboundMessage } from '../outbox/write';

/**
 * What a WeCom group's robot posts for a notice or a reminder: markdown
 * (docs/wecom.md §4: the robot webhook's markdown message, headings, quotes
 * and <font color> only). A robot cannot receive a tap or a reply, so the
 * message ends by saying where to answer: in the app.
 */

/** The robot row of one group (outbox channel robot: the group's id, never its key). */
export function robotMarkdownMessage(key: string, groupId: number, md: { title: string; body: string; details?: string[]; ask: string }): OutboundMessage {
  const content = [
    `**【${md.title}】**`,
    md.body,
    ...(md.details ?? []).map((d) => `> ${d}`),
    `<font color="warning">${md.ask}</font>`,
  ].join('\n');
  return { key, channel: 'robot', to: String(groupId), payload: { msgtype: 'markdown', markdown: { content } } };
}
