// Year-to-date standing as of the range's last day (the quotas are yearly) against the rules, by unit (联村) and by cadre (联户); who is behind, sortable.
import { api } from './api.js';
import { h, pager, table } from './dom.js';
import { recordLink } from './records.js';
import { shortDate } from './range.js';

const view = { by: 'unit', sort: 'behind', behind: false, page: 1 };
const SORTS = [['behind', '按滞后程度'], ['visits', '按次数（少→多）'], ['name', '按名称']];

const status = (r) => h('span', { class: `tag ${r.behind ? 'bad' : 'good'}` }, r.behind ? '滞后' : '达标');

export async function renderStanding({ scope, from, to }) {
  const wrap = h('div', {});
  const draw = async () => {
    const data = await api('/standing', { scope: scope.id, from, to, by: view.by, sort: view.sort, behind: view.behind, page: view.page, size: 20 });
    const t = data.targets;
    const asOf = shortDate(data.asOf);
    const target = view.by === 'unit'
      ? `联系单位每年进村不少于 ${t.visits.target} 次、累计 ${t.days.target} 天；按全年进度，截至${asOf}应达 ${t.visits.owed} 次、${t.days.owed} 天。`
      : `联户干部每户每年入户不少于 ${t.visits.target} 次、${t.days.target} 天、谈心 ${t.talks.target} 次；截至${asOf}应达 ${t.visits.owed} 次、${t.days.owed} 天、${t.talks.owed} 次。驻村队员到村应达 ${t.teamDays.owed} 天。`;
    const columns = view.by === 'unit'
      ? [{ title: '单位', render: (r) => recordLink('unit', r.unitId, r.unitName) }, { title: '联系村', render: (r) => recordLink('village', r.villageId, r.place) },
        { title: '进村次数', key: 'visits', num: true }, { title: '进村天数', key: 'days', num: true }, { title: '状态', render: status }]
      : [{ title: '干部', render: (r) => recordLink('cadre', r.cadreId, r.name) }, { title: '角色', key: 'role' }, { title: '单位', key: 'unitName' },
        { title: '联系户', key: 'households', num: true }, { title: '达到进度', key: 'householdsOnPace', num: true },
        { title: '入户次数', key: 'householdVisits', num: true }, { title: '到村天数', key: 'daysOnSite', num: true }, { title: '状态', render: status }];
    const select = h('select', { onchange: (e) => { view.sort = e.target.value; view.page = 1; draw(); } },
      SORTS.map(([k, t2]) => h('option', { value: k, selected: k === view.sort }, t2)));
    wrap.replaceChildren(
      h('div', { class: 'toolbar' },
        [['unit', '按单位（联村）'], ['cadre', '按干部（联户）']].map(([k, t2]) =>
          h('button', { class: k === view.by ? 'active' : '', 'data-by': k, onclick: () => { view.by = k; view.page = 1; draw(); } }, t2)),
        select,
        h('label', {}, h('input', { type: 'checkbox', checked: view.behind, onchange: (e) => { view.behind = e.target.checked; view.page = 1; draw(); } }), ' 只看滞后')),
      h('p', { class: 'as-of', 'data-as-of': data.asOf }, `截至${asOf}（${data.asOf.slice(0, 4)}年1月1日起累计；任务按年度考核，所选开始日期不影响本页）`),
      h('p', { class: 'muted' }, target),
      table(columns, data.rows, { rowClass: (r) => (r.behind ? 'behind' : '') }),
      pager(data.total, view.page, 20, (p) => { view.page = p; draw(); }));
  };
  await draw();
  return wrap;
}
