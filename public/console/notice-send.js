// 发通知: a leader sends a notice to their scope or a region in it, as the chat's “通知 范围 类别 内容”.
import { post } from './api.js';
import { h } from './dom.js';

const KINDS = ['会议', '突发', '活动', '交办'];
const MAX_CHARS = 600;

/** The form; `sent(id)` opens the new notice. */
export function noticeForm({ tree, sent }) {
  const scope = h('select', { name: 'scope', 'aria-label': '范围' },
    [tree.region, ...tree.children].map((r, i) => h('option', { value: r.id, selected: i === 0 }, i === 0 ? `${r.name}（全部）` : r.name)));
  const kind = h('select', { name: 'kind', 'aria-label': '类别' }, KINDS.map((k) => h('option', { value: k, selected: k === '会议' }, k)));
  const content = h('textarea', { name: 'content', rows: 3, maxlength: MAX_CHARS, placeholder: `通知内容（不超过${MAX_CHARS}字）` });
  const count = h('span', { class: 'muted' }, `0/${MAX_CHARS}`);
  content.addEventListener('input', () => { count.textContent = `${[...content.value].length}/${MAX_CHARS}`; });
  const msg = h('p', { class: 'error' });
  const send = h('button', { class: 'primary', type: 'submit' }, '发送通知');
  const form = h('form', { class: 'notice-form panel' },
    h('h3', {}, '发通知'),
    h('div', { class: 'toolbar' }, h('label', {}, '范围 ', scope), h('label', {}, '类别 ', kind), count),
    content, send, msg,
    h('p', { class: 'muted' }, '通知发给范围内所有联系干部和工作群；接收人回复“收到”即为确认，未确认的会自动提醒。'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    send.disabled = true;
    try {
      const r = await post('/notices', { scope: Number(scope.value), kind: kind.value, content: content.value });
      sent(r.id);
    } catch (err) {
      msg.textContent = err.message;
      send.disabled = false;
    }
  });
  return form;
}
