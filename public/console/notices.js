// Notices sent in the scope, with their 五必到 kind and acknowledgement (回复“收到”) and on-time rates; a row
// opens the notice, 发通知 sends one. Above them, attendance per kind (会议, 突发, 活动, 交办) over the range.
import { longDate } from './range.js';
import { api } from './api.js';
import { h, pct, stamp, table } from './dom.js';
import { noticeForm } from './notice-send.js';

const KIND_TITLE = { 会议: '重要会议', 突发: '突发事件', 活动: '重要活动', 交办: '乡镇交办' };

/** Per kind: the notices sent in the range, their recipients and how many attended. */
async function kindsTable({ scope, from, to }) {
  const { kinds } = await api('/notice-kinds', { scope: scope.id, from, to });
  return [
    h('h3', {}, `五必到（${longDate(from)}至${longDate(to)}发出的通知，通知后在范围内到村签到计为到场）`),
    table([
      { title: '类别', render: (r) => `${r.kind}（${KIND_TITLE[r.kind]}）` },
      { title: '通知数', key: 'notices', num: true },
      { title: '接收人次', key: 'recipients', num: true },
      { title: '到场人次', key: 'attended', num: true },
      { title: '到场率', num: true, render: (r) => (r.rate === null ? '—'
        : h('span', { class: `tag ${r.rate < 0.9 ? 'warn' : 'good'}` }, pct(r.rate))) },
    ], kinds, { class: 'kinds' }),
    h('h3', {}, '通知回执'),
  ];
}

export async function renderNotices({ scope, tree, go, from, to }) {
  const [data, kinds] = await Promise.all([api('/notices', { scope: scope.id, size: 50 }), kindsTable({ scope, from, to })]);
  const open = (id) => go({ tab: 'notice', id });
  const formSlot = h('div', {});
  const toggle = h('button', { 'data-send-notice': '', onclick: () => {
    if (formSlot.firstChild) formSlot.replaceChildren();
    else formSlot.replaceChildren(noticeForm({ tree, sent: open }));
  } }, '发通知');
  return h('div', {},
    h('div', { class: 'toolbar' }, toggle),
    formSlot,
    kinds,
    h('p', { class: 'muted' }, '领导在聊天中发送“通知 范围 [类别] 内容”或在此发通知后，接收人回复“收到”即计为已确认；及时确认指在提醒前确认；到村签到率指通知发出后至要求时限内在该范围村签到的人数占比。点击一条通知查看确认名单并催办。'),
    table([
      { title: '发送时间', render: (r) => stamp(r.createdAt) },
      { title: '发送人', key: 'sender' },
      { title: '类别', key: 'kind' },
      { title: '范围', render: (r) => r.scopeFullName.split('/').slice(1).join('/') },
      { title: '内容', key: 'content' },
      { title: '接收人', key: 'recipients', num: true },
      { title: '已确认', key: 'acked', num: true },
      { title: '确认率', num: true, render: (r) => h('span', { class: `tag ${r.ackRate < 0.9 ? 'warn' : 'good'}` }, pct(r.ackRate)) },
      { title: '及时确认率', num: true, render: (r) => pct(r.onTimeRate) },
      { title: '到村签到率', num: true, render: (r) => pct(r.attendanceRate) },
    ], data.rows, { empty: '该范围暂无通知', rowClass: () => 'clickable', onRow: (r) => open(r.id) }));
}
