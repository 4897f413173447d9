// 工作概况, the landing tab: the period's work against the period before it, the lower
// regions and the units ranked worst first, the cadres furthest behind, the overdue
// problems, and the 通报 (download as Word, or send to the scope's WeCom groups).
import { api, post } from './api.js';
import { h, pct, table } from './dom.js';

const LEVELS = ['省', '市', '县区', '乡镇', '村'];
const KPIS = [
  ['checkins', '到村签到', '次'],
  ['villagesReached', '到达村数', '个'],
  ['householdsVisited', '走访农户', '户'],
  ['problemsOpened', '新上报问题', '个'],
  ['problemsClosed', '问题销号', '个'],
  ['noticesUnacknowledged', '通知未回复', '人次'],
];
/** Figures where more is worse: their rise is shown in red. */
const WORSE_WHEN_UP = new Set(['problemsOpened', 'noticesUnacknowledged']);
const RATES = [['villageRate', '到村率'], ['householdRate', '入户率'], ['talkRate', '谈心率'], ['closureRate', '销号率'], ['mustRate', '必访率']];

/** 2026-12-07 → 2026年12月7日 */
const longDate = (d) => { const [y, m, day] = d.split('-').map(Number); return `${y}年${m}月${day}日`; };
const hashFor = (params) => `#${new URLSearchParams(Object.entries(params).filter(([, v]) => v))}`;

function kpi(key, title, unit, cur, prev) {
  const now = cur[key], before = prev[key];
  const diff = now - before;
  const tone = diff === 0 ? '' : (diff > 0) === WORSE_WHEN_UP.has(key) ? 'bad' : 'good';
  const change = diff === 0 ? '持平' : `${diff > 0 ? '↑' : '↓'} ${Math.abs(diff)}`;
  const of = key === 'villagesReached' ? ` / ${cur.villages}` : '';
  return h('div', { class: 'kpi', 'data-kpi': key },
    h('div', { class: 'kpi-title' }, title),
    h('div', { class: 'kpi-value' }, String(now), h('small', {}, `${of} ${unit}`)),
    h('div', { class: 'kpi-sub' }, `上期 ${before} · `, h('span', { class: `change ${tone}` }, change)));
}

function rate(x) {
  if (x === null) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `tag ${x < 0.6 ? 'bad' : x < 0.9 ? 'warn' : 'good'}` }, pct(x));
}

const rateColumns = RATES.map(([k, title]) => ({ title, num: true, render: (r) => rate(r[k]) }));

function reportBar(scope, from, to) {
  const status = h('span', { class: 'muted', 'data-report-status': '' });
  const q = new URLSearchParams({ scope: scope.id, from, to });
  const send = h('button', { class: 'primary', 'data-report': 'send', onclick: async () => {
    send.disabled = true;
    status.textContent = '正在生成并发送…';
    try {
      const r = await post('/report/send', { scope: scope.id, from, to });
      status.textContent = r.queued > 0 ? `已发送至：${r.groups.join('、')}` : `该通报已发送过（${r.groups.join('、')}），内容无变化。`;
    } catch (e) {
      status.textContent = e.message;
    } finally {
      send.disabled = false;
    }
  } }, '发送到工作群');
  return h('div', { class: 'toolbar report-bar' },
    h('a', { class: 'btn', 'data-report': 'download', href: `/console/api/report.docx?${q}` }, '下载通报（Word）'), send, status);
}

export async function renderWork({ scope, from, to, go }) {
  const d = await api('/work', { scope: scope.id, from, to });
  const r = d.rankings;
  const range = { from: d.period.from, to: d.period.to };
  const link = (tab, id, text) => h('a', { href: hashFor({ scope: scope.id, tab, id, ...range }) }, text);
  const childLevel = LEVELS[scope.level + 1];
  return h('div', { 'data-section': 'work', 'data-from': d.period.from, 'data-to': d.period.to },
    h('h3', {}, `${scope.name} · ${longDate(d.period.from)}至${longDate(d.period.to)}`,
      h('span', { class: 'muted' }, `（上期 ${longDate(d.previous.from)}至${longDate(d.previous.to)}）`)),
    h('div', { class: 'kpis' }, KPIS.map(([k, title, unit]) => kpi(k, title, unit, d.current, d.before))),
    reportBar(scope, d.period.from, d.period.to),
    childLevel ? [
      h('h3', {}, `下级${childLevel}排名（由差到好）`),
      table([{ title: '排名', render: (x) => String(r.regions.indexOf(x) + 1) }, { title: childLevel, render: (x) => h('a', { href: '#', 'data-region': x.id }, x.name) }, ...rateColumns],
        r.regions, { rowClass: () => 'clickable', onRow: (x) => go({ scope: x.id }) }),
    ] : null,
    h('h3', {}, '帮扶单位排名（由差到好）'),
    table([{ title: '排名', render: (x) => String(r.units.indexOf(x) + 1) }, { title: '单位', render: (x) => link('unit', x.id, x.name) }, ...rateColumns],
      r.units, { empty: '本范围暂无帮扶单位' }),
    h('p', { class: 'muted' }, `到村率：联系单位按每年进村 ${r.targets.villageVisits} 次、${r.targets.villageDays} 天折算，至${longDate(r.asOf)}达到进度的比例；`
      + `入户率：联系户中期内走访过或达到每年 ${r.targets.householdVisits} 次进度的比例；谈心率：达到每年谈心 ${r.targets.householdTalks} 次进度的比例；`
      + '销号率：今年上报问题中已销号的比例；必访率：期内到期的五必访按期走访的比例。'),
    h('div', { class: 'two' },
      h('div', {}, h('h3', {}, '进度滞后干部（前十名）'),
        table([{ title: '干部', render: (x) => link('cadre', x.cadreId, x.name) }, { title: '单位', render: (x) => x.unitName || '' },
          { title: '滞后户数', num: true, render: (x) => `${x.behind} / ${x.households}` }, { title: '欠走访', key: 'owed', num: true }],
        r.behind, { empty: '联户干部均达到进度 ✓' })),
      h('div', {}, h('h3', {}, `逾期未销号问题（${r.overdue.total}）`),
        table([{ title: '编号', render: (x) => h('a', { href: hashFor({ scope: scope.id, tab: 'ledger', problem: x.id }) }, x.code) },
          { title: '村', key: 'place' }, { title: '责任人', render: (x) => x.ownerName || x.ownerUnitName || '' },
          { title: '逾期天数', key: 'daysOverdue', num: true }],
        r.overdue.rows, { empty: '没有逾期问题 ✓' }))));
}
