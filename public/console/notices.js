// Notices sent in the scope, with acknowledgement (回复“收到”) and on-time rates; a row opens the notice, 发通知 sends one.
import { api } from './api.js';
import { h, pct, stamp, table } from './dom.js';
import { noticeForm } from './notice-send.js';

export async function renderNotices({ scope, tree, go }) {
  const data = await api('/notices', { scope: scope.id, size: 50 });
  const open = (id) => go({ tab: 'notice', id });
  const formSlot = h('div', {});
  const toggle = h('button', { 'data-send-notice': '', onclick: () => {
    if (formSlot.firstChild) formSlot.replaceChildren();
    else formSlot.replaceChildren(noticeForm({ tree, sent: open }));
  } }, '发通知');
  return h('div', {},
    h('div', { class: 'toolbar' }, toggle),
    formSlot,
    h('p', { class: 'muted' }, '领导在聊天中发送“通知 范围 内容”或在此发通知后，接收人回复“收到”即计为已确认；及时确认指在提醒前确认；到村签到率指通知发出后至要求时限内在该范围村签到的人数占比。点击一条通知查看确认名单并催办。'),
    table([
      { title: '发送时间', render: (r) => stamp(r.createdAt) },
      { title: '发送人', key: 'sender' },
      { title: '范围', render: (r) => r.scopeFullName.split('/').slice(1).join('/') },
      { title: '内容', key: 'content' },
      { title: '接收人', key: 'recipients', num: true },
      { title: '已确认', key: 'acked', num: true },
      { title: '确认率', num: true, render: (r) => h('span', { class: `tag ${r.ackRate < 0.9 ? 'warn' : 'good'}` }, pct(r.ackRate)) },
      { title: '及时确认率', num: true, render: (r) => pct(r.onTimeRate) },
      { title: '到村签到率', num: true, render: (r) => pct(r.attendanceRate) },
    ], data.rows, { empty: '该范围暂无通知', rowClass: () => 'clickable', onRow: (r) => open(r.id) }));
}
