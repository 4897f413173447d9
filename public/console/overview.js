// 两个全覆盖: every village has a linked unit, every household a linked cadre, as of the range's last day,
// with those first covered within the range; the problems reported within it.
import { api } from './api.js';
import { h, pct, ratio, table } from './dom.js';
import { recordLink } from './records.js';
import { shortDate } from './range.js';

function kpi(title, value, sub, tone = '') {
  return h('div', { class: `kpi ${tone}` }, h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-sub' }, sub));
}

export async function renderOverview({ scope, go, from, to }) {
  const [cov, ledger] = await Promise.all([api('/coverage', { scope: scope.id, from, to }), api('/problems', { scope: scope.id, from, to, size: 1 })]);
  const vr = ratio(cov.linkedVillages, cov.villages);
  const hr = ratio(cov.linkedHouseholds, cov.households);
  const s = ledger.summary;
  const asOf = shortDate(cov.asOf);
  const span = `${shortDate(from)}至${shortDate(to)}`;
  return h('div', {},
    h('p', { class: 'muted', 'data-caption': 'coverage' }, `覆盖情况截至${asOf}；“期间新增”为${span}首次有联系单位的村、首次有联户干部的户；问题为${span}上报的问题。`),
    h('div', { class: 'kpis' },
      kpi('联村覆盖', pct(vr), `截至${asOf} ${cov.linkedVillages} / ${cov.villages} 个村有联系单位，期间新增 ${cov.newVillages} 个`, vr < 1 ? 'warn' : 'good'),
      kpi('联户覆盖', pct(hr), `截至${asOf} ${cov.linkedHouseholds} / ${cov.households} 户有联户干部，期间新增 ${cov.newHouseholds} 户`, hr < 1 ? 'warn' : 'good'),
      kpi('问题销号率', pct(s.closureRate), `期间上报 ${s.total} 个问题，已销号 ${s.closed} 个`),
      kpi('逾期问题', String(s.overdue), `期间上报的问题中未销号 ${s.open} 个`, s.overdue > 0 ? 'bad' : 'good')),
    h('h3', {}, `${scope.name} · 分区覆盖情况（截至${asOf}）`),
    table([
      { title: '地区', render: (r) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ scope: r.id }); } }, r.name) },
      { title: '村数', key: 'villages', num: true },
      { title: '有联系单位', key: 'linkedVillages', num: true },
      { title: '联村覆盖率', num: true, render: (r) => bar(ratio(r.linkedVillages, r.villages)) },
      { title: '期间新增村', key: 'newVillages', num: true },
      { title: '农户数', key: 'households', num: true },
      { title: '有联户干部', key: 'linkedHouseholds', num: true },
      { title: '联户覆盖率', num: true, render: (r) => bar(ratio(r.linkedHouseholds, r.households)) },
      { title: '期间新增户', key: 'newHouseholds', num: true },
    ], cov.byChild),
    h('div', { class: 'two' },
      h('div', {}, h('h3', {}, `未联系单位的村（${cov.villages - cov.linkedVillages}）`),
        table([{ title: '村', render: (r) => recordLink('village', r.id, r.place) }], cov.villageGaps, { empty: '全部村已有联系单位 ✓' })),
      h('div', {}, h('h3', {}, `未联户的农户（${cov.households - cov.linkedHouseholds}）`),
        table([{ title: '户主', render: (r) => recordLink('household', r.id, r.householder) }, { title: '村', key: 'place' },
          { title: '帮扶状态', render: (r) => r.aidStatus || '' }, { title: '致贫原因', render: (r) => r.povertyCause || '' }],
        cov.householdGaps, { empty: '全部农户已有联户干部 ✓' }))));
}

function bar(x) {
  return h('span', { class: 'bar' }, h('span', { class: `fill ${x < 1 ? 'warn' : ''}`, style: `width:${Math.round(x * 100)}%` }), h('em', {}, pct(x)));
}
