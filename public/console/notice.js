// One notice (#tab=notice&id=…): what was sent, the counts, then who acknowledged, who has not and who
// checked in at a village of its scope since, 50 to a page; 催办 re-sends it to those without 收到.
import { api, post } from './api.js';
import { h, pager, pct, ratio, replace, table } from './dom.js';
import { recordLink, timeCn } from './records.js';

const SIZE = 50;
const HEADINGS = { 会议: '会议通知', 突发: '紧急通知', 活动: '活动通知', 交办: '交办事项' };
const LISTS = [
  ['pending', '未确认', [{ title: '确认', render: () => h('span', { class: 'tag bad' }, '未回复') }]],
  ['acked', '已确认', [{ title: '确认时间', render: (r) => timeCn(r.at) }]],
  ['attended', '到村签到', [{ title: '签到时间', render: (r) => timeCn(r.at) }, { title: '村', key: 'village' }]],
];

const kpi = (title, value, sub, cls = '') => h('div', { class: `kpi ${cls}` },
  h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-sub' }, sub));

async function recipients(id, status, title, extra) {
  const section = h('section', { class: 'records', 'data-list': status });
  const draw = async (page) => {
    const d = await api(`/notices/${id}/recipients`, { status, page, size: SIZE });
    replace(section,
      h('h3', {}, title, h('span', { class: 'muted' }, `（${d.total} 人）`)),
      table([{ title: '姓名', render: (r) => recordLink('cadre', r.cadreId, r.name) }, { title: '单位', render: (r) => r.unit || '—' },
        { title: '手机', key: 'mobile' }, ...extra], d.rows, { empty: '暂无' }),
      d.total > SIZE ? pager(d.total, page, SIZE, (p) => draw(p).catch((e) => alert(e.message))) : null);
  };
  await draw(1);
  return section;
}

function urgeBox(n, redraw) {
  const msg = h('span', { class: 'muted', 'data-urge-message': '' });
  const button = h('button', { class: 'primary', 'data-urge': '', disabled: n.counts.pending === 0 }, `催办未确认的 ${n.counts.pending} 人`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const r = await post(`/notices/${n.id}/urge`, {});
      await redraw(`已向 ${r.recipients} 人重新发送通知。`);
    } catch (e) {
      msg.textContent = e.message;
      msg.className = 'error';
      button.disabled = false;
    }
  });
  return h('div', { class: 'urge' },
    button, ' ', msg,
    h('p', { class: 'muted' }, `同一通知每 ${n.minutes} 分钟最多催办一次。`),
    n.urges.length === 0 ? h('p', { class: 'muted' }, '尚未催办。')
      : h('ol', { class: 'events', 'data-urges': '' }, n.urges.map((u) => h('li', {}, `${timeCn(u.urgedAt)} ${u.by} 催办，发送 ${u.recipients} 人`))));
}

export async function renderNotice({ id }) {
  const wrap = h('div', { class: 'notice-detail' });
  const draw = async (note) => {
    const n = await api(`/notices/${id}`);
    const c = n.counts;
    replace(wrap,
      h('div', { class: 'panel' },
        h('h2', {}, `【${HEADINGS[n.kind] || n.kind}】`, h('span', { class: 'tag' }, n.kind)),
        h('p', { class: 'notice-text' }, n.content),
        h('dl', { class: 'facts' },
          h('dt', {}, '发送人'), h('dd', {}, n.sender),
          h('dt', {}, '范围'), h('dd', {}, n.place),
          h('dt', {}, '发送时间'), h('dd', {}, timeCn(n.createdAt)),
          h('dt', {}, '到村时限'), h('dd', {}, `${timeCn(n.attendUntil)}前在范围内到村签到计为到场`))),
      h('div', { class: 'kpis' },
        kpi('接收人', c.recipients, '联系干部'),
        kpi('已确认', c.acked, `确认率 ${pct(ratio(c.acked, c.recipients))}`, ratio(c.acked, c.recipients) < 0.9 ? 'warn' : 'good'),
        kpi('未确认', c.pending, '尚未回复“收到”', c.pending > 0 ? 'bad' : 'good'),
        kpi('到村签到', c.attended, `到村率 ${pct(ratio(c.attended, c.recipients))}`)),
      note ? h('p', { class: 'good-note' }, note) : null,
      urgeBox(n, draw),
      ...(await Promise.all(LISTS.map(([status, title, extra]) => recipients(id, status, title, extra)))));
  };
  await draw();
  return wrap;
}
