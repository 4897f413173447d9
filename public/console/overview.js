// 两个全覆盖: every village has a linked unit, every household a linked cadre.
import { api } from './api.js';
import { h, pct, ratio, table } from './dom.js';
import { recordLink } from './records.js';

function kpi(title, value, sub, tone = '') {
  return h('div', { class: `kpi ${tone}` }, h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-sub' }, sub));
}

export async function renderOverview({ scope, go }) {
  const [cov, ledger] = await Promise.all([api('/coverage', { scope: scope.id }), api('/problems', { scope: scope.id, size: 1 })]);
  const vr = ratio(cov.linkedVillages, cov.villages);
  const hr = ratio(cov.linkedHouseholds, cov.households);
  const s = ledger.summary;
  return h('div', {},
    h('div', { class: 'kpis' },
      kpi('联村覆盖', pct(vr), `${cov.linkedVillages} / ${cov.villages} 个村有联系单位`, vr < 1 ? 'warn' : 'good'),
      kpi('联户覆盖', pct(hr), `${cov.linkedHouseholds} / ${cov.households} 户有联户干部`, hr < 1 ? 'warn' : 'good'),
      kpi('问题销号率', pct(s.closureRate), `共 ${s.total} 个问题，已销号 ${s.closed} 个`),
      kpi('逾期问题', String(s.overdue), `未销号 ${s.open} 个`, s.overdue > 0 ? 'bad' : 'good')),
    h('h3', {}, `${scope.name} · 分区覆盖情况`),
    table([
      { title: '地区', render: (r) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ scope: r.id }); } }, r.name) },
      { title: '村数', key: 'villages', num: true },
      { title: '有联系单位', key: 'linkedVillages', num: true },
      { title: '联村覆盖率', num: true, render: (r) => bar(ratio(r.linkedVillages, r.villages)) },
      { title: '农户数', key: 'households', num: true },
      { title: '有联户干部', key: 'linkedHouseholds', num: true },
      { title: '联户覆盖率', num: true, render: (r) => bar(ratio(r.linkedHouseholds, r.households)) },
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
