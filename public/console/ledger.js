// 问题台账: filter by status, village and overdue; a problem's detail with its history; 销号, 重开 and its category for leaders in scope.
import { api, post } from './api.js';
import { h, pager, replace, stamp, table } from './dom.js';
import { recordLink } from './records.js';
import { shortDate } from './range.js';

const view = { status: '', overdue: false, village: '', page: 1, open: null };
const STATUS = { open: '未销号', closed: '已销号', revoked: '已撤销' };
const EVENTS = { reported: '上报', assigned: '指派', deadline: '调整期限', closed: '销号', reopened: '重开', revoked: '撤销', categorized: '调整类别', escalated: '逾期上报', reminded: '催办' };

function statusTag(r) {
  if (r.overdue) return h('span', { class: 'tag bad' }, '逾期');
  return h('span', { class: `tag ${r.status === 'open' ? 'warn' : r.status === 'closed' ? 'good' : ''}` }, STATUS[r.status]);
}

export async function renderLedger({ scope, tree, problem, from, to }) {
  if (problem && view.open === null) view.open = problem;
  const wrap = h('div', {});
  const detail = h('aside', { class: 'detail' });
  const villages = scope.level === 3 ? tree.children : [];
  const draw = async () => {
    const data = await api('/problems', { scope: scope.id, from, to, status: view.status, overdue: view.overdue, village: view.village, page: view.page, size: 20 });
    const s = data.summary;
    wrap.replaceChildren(
      h('div', { class: 'toolbar' },
        h('select', { 'aria-label': '状态', onchange: (e) => { view.status = e.target.value; view.page = 1; draw(); } },
          [['', '全部状态'], ['open', '未销号'], ['closed', '已销号'], ['revoked', '已撤销']].map(([k, t]) => h('option', { value: k, selected: k === view.status }, t))),
        villages.length ? h('select', { 'aria-label': '村', onchange: (e) => { view.village = e.target.value; view.page = 1; draw(); } },
          h('option', { value: '' }, '全部村'), villages.map((v) => h('option', { value: v.id, selected: String(v.id) === view.village }, v.name))) : null,
        h('label', {}, h('input', { type: 'checkbox', name: 'overdue', checked: view.overdue, onchange: (e) => { view.overdue = e.target.checked; view.page = 1; draw(); } }), ' 只看逾期'),
        h('span', { class: 'muted', 'data-caption': 'ledger' }, `${shortDate(from)}至${shortDate(to)}上报的问题：共 ${s.total} 个，已销号 ${s.closed} 个（销号率 ${(s.closureRate * 100).toFixed(1)}%），逾期 ${s.overdue} 个`)),
      h('div', { class: 'ledger' },
        h('div', {}, table([
          { title: '编号', key: 'code' }, { title: '村', render: (r) => recordLink('village', r.villageId, `${r.township}${r.village}`) },
          { title: '问题描述', render: (r) => h('span', { class: 'desc' }, r.description) }, { title: '责任人', render: (r) => r.owner || r.ownerUnit || '—' },
          { title: '整改期限', key: 'deadline' }, { title: '状态', render: statusTag },
        ], data.rows, { empty: '没有符合条件的问题', rowClass: (r) => `clickable ${r.id === view.open ? 'selected' : ''}`, onRow: (r) => showDetail(r.id) }),
        pager(data.total, view.page, 20, (p) => { view.page = p; draw(); })),
        detail));
    if (view.open) await showDetail(view.open);
  };

  async function showDetail(id) {
    view.open = id;
    const p = await api(`/problems/${id}`, { scope: scope.id });
    const note = h('textarea', { rows: 3, placeholder: p.status === 'closed' ? '重开原因（必填）' : '整改说明（必填）', name: 'note' });
    const msg = h('p', { class: 'error' });
    const act = (action, body) => async () => {
      try {
        await post(`/problems/${id}/${action}`, body());
        await draw();
      } catch (e) {
        msg.textContent = e.message;
      }
    };
    const categories = p.status === 'revoked' ? [] : (await api('/problem-categories')).categories;
    const category = categories.length
      ? h('select', { 'aria-label': '类别', name: 'category', onchange: (e) => act('category', () => ({ category: e.target.value }))() },
        categories.map((c) => h('option', { value: c.name, selected: c.name === p.category }, c.groupName ? `${c.name}（${c.groupName}）` : c.name)))
      : p.category;
    replace(detail,
      h('h3', {}, `${p.code} `, statusTag(p)),
      h('dl', {},
        h('dt', {}, '村'), h('dd', {}, recordLink('village', p.villageId, p.place)),
        h('dt', {}, '问题'), h('dd', {}, p.description),
        h('dt', {}, '类别'), h('dd', {}, category),
        h('dt', {}, '上报'), h('dd', {}, `${p.reporter} · ${stamp(p.reportedAt)}`),
        h('dt', {}, '责任人'), h('dd', {}, [p.owner, p.ownerUnit && `（${p.ownerUnit}）`].filter(Boolean).join('') || '—'),
        h('dt', {}, '期限'), h('dd', {}, p.deadline),
        p.closedAt ? [h('dt', {}, '销号'), h('dd', {}, `${stamp(p.closedAt)} · ${p.closeNote || ''}`)] : null),
      h('h4', {}, '处理记录'),
      h('ol', { class: 'events' }, p.events.map((e) => h('li', {}, h('b', {}, EVENTS[e.kind] || e.kind), ` ${stamp(e.at)} ${e.actor || ''} ${e.note || ''}`))),
      p.photos && p.photos.length ? [h('h4', {}, `照片（${p.photos.length}）`), h('div', { class: 'photos' }, p.photos.map((ph) => ph.status !== 'stored' ? h('span', { class: 'muted' }, '照片接收中…') :
        h('a', { href: ph.url, target: '_blank', title: `${ph.uploader} · ${stamp(ph.createdAt)}${ph.kind === 'problem_close' ? ' · 销号照片' : ''}` },
          h('img', { src: ph.thumbUrl, alt: '问题照片', loading: 'lazy' }))))] : null,
      p.status === 'open' ? h('div', { class: 'close-form' }, note, h('button', { class: 'primary', onclick: act('close', () => ({ note: note.value })) }, '销号'), msg)
        : p.status === 'closed' ? h('div', { class: 'close-form' }, note, h('button', { onclick: act('reopen', () => ({ reason: note.value })) }, '重开'), msg)
          : null);
    wrap.querySelectorAll('tr.selected').forEach((tr) => tr.classList.remove('selected'));
  }

  await draw();
  return wrap;
}
