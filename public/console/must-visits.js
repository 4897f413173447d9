// 五必访: the events due in the range, visited by their deadline, and overdue
// and not visited — for the scope, per lower region, per cadre who owes the
// visits — the overdue events themselves, and the 五必访台账 export.
import { longDate } from './range.js';
import { api, exportUrl } from './api.js';
import { h, pct, ratio, table } from './dom.js';

const LEVELS = ['省', '市', '县区', '乡镇', '村'];

/** 2026-12-07T01:00:00Z → 2026年12月7日 09:00 (Shanghai). */
function zhTime(iso) {
  const s = new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString();
  return `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
}

function kpi(title, value, sub, key, tone = '') {
  return h('div', { class: `kpi ${tone}`, 'data-figure': key },
    h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-sub' }, sub));
}

const figureColumns = [
  { title: '到期', key: 'due', num: true },
  { title: '按时走访', key: 'inTime', num: true },
  { title: '按时率', num: true, render: (r) => (r.due === 0 ? '—' : pct(ratio(r.inTime, r.due))) },
  { title: '逾期未走访', num: true, render: (r) => h('span', { class: `tag ${r.overdue > 0 ? 'bad' : 'good'}` }, r.overdue) },
];

export async function renderMustVisits({ scope, from, to, go }) {
  const d = await api('/must-visits', { scope: scope.id, from, to });
  const t = d.totals;
  const download = h('a', { class: 'btn', href: '#', 'data-export': 'must-visits',
    onclick: (e) => { e.preventDefault(); location.href = exportUrl('must-visits', { scope: scope.id, from, to }); } }, '导出五必访台账');
  const cadreLink = (r) => (r.cadreId
    ? h('a', { href: `#scope=${scope.id}&tab=cadre&id=${r.cadreId}` }, r.name)
    : h('span', { class: 'muted' }, '（无联户干部）'));
  return h('div', { 'data-section': 'must-visits' },
    h('p', { class: 'muted' }, '五必访：联系村农户婚丧嫁娶、情绪波动、生活困难、生病住院、邻里纠纷时，由联户干部在期限内入户走访（聊天中发送“报告 户主 事由”登记，“走访 户主 事由”完成）。'),
    h('div', { class: 'kpis' },
      kpi('期限在本期内', `${t.due} 件`, `${longDate(from)}至${longDate(to)}`, 'due'),
      kpi('按时走访', t.due === 0 ? '—' : pct(ratio(t.inTime, t.due)), `${t.inTime} / ${t.due} 件在期限内走访`, 'in-time', t.inTime < t.due ? 'warn' : 'good'),
      kpi('逾期未走访', `${t.overdue} 件`, `截至${longDate(to)}`, 'overdue', t.overdue > 0 ? 'bad' : 'good')),
    h('p', { class: 'toolbar' }, download),
    d.byChild.length === 0 ? null : [
      h('h3', {}, `各${LEVELS[scope.level + 1] || '下级'}`),
      table([
        { title: '地区', render: (r) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ scope: r.id }); } }, r.name) },
        ...figureColumns,
      ], d.byChild)],
    h('h3', {}, `联户干部（${d.byCadre.total} 人有到期或逾期的五必访${d.byCadre.total > d.byCadre.rows.length ? `，列出前 ${d.byCadre.rows.length} 人` : ''}）`),
    table([
      { title: '干部', render: cadreLink }, { title: '单位', render: (r) => r.unitName || '' }, ...figureColumns,
    ], d.byCadre.rows, { empty: '本期没有到期的五必访' }),
    h('h3', {}, `逾期未走访（${d.overdue.total} 件${d.overdue.total > d.overdue.rows.length ? `，列出最早的 ${d.overdue.rows.length} 件` : ''}）`),
    table([
      { title: '村', key: 'place' }, { title: '户主', key: 'householder' }, { title: '事由', key: 'kind' },
      { title: '报告人', key: 'reporter' }, { title: '联户干部', render: (r) => r.cadre || '（无）' },
      { title: '报告时间', render: (r) => zhTime(r.reportedAt) }, { title: '期限', render: (r) => zhTime(r.dueAt) },
      { title: '逾期天数', num: true, render: (r) => (r.days === 0 ? '不足1天' : r.days) },
    ], d.overdue.rows, { empty: '没有逾期未走访的五必访 ✓', rowClass: () => 'overdue' }));
}
