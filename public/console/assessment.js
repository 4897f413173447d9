// 考评: a quarter's or a year's scores of the scope's cadres and units, with
// each score's breakdown and ranks, the 领导评议 entry (a quarter, 0–100) and
// the 考评结果 export.
import { api, exportUrl, post } from './api.js';
import { h, replace, today } from './dom.js';

const LABELS = {
  household_visits: '走访次数', household_days: '入户天数', household_talks: '谈心交流', team_days_on_site: '到村天数',
  team_days_resident: '驻村天数', problems_in_time: '问题按期销号', notices_acknowledged: '通知收到', must_visits_in_time: '五必访按期',
  diary_days: '民情日记', help_acts: '六送帮扶', village_visits: '进村次数', village_days: '进村天数', unit_cadres: '干部平均',
};
const thisQuarter = () => { const d = today(); return `${d.slice(0, 4)}-Q${Math.ceil(Number(d.slice(5, 7)) / 3)}`; };
// 季考评 reviews a finished quarter: the tab opens on the last one of this year (in January–March, the quarter so far).
const lastQuarter = () => { const q = thisQuarter(); return q.endsWith('Q1') ? q : `${q.slice(0, 6)}${Number(q.slice(-1)) - 1}`; };
let period = lastQuarter();

function periods() {
  const y = Number(today().slice(0, 4));
  return [y, y - 1].flatMap((year) => [4, 3, 2, 1].map((q) => `${year}-Q${q}`).concat(String(year)))
    .filter((p) => p <= thisQuarter() || p.length === 4);
}

const breakdown = (r) => h('span', { class: 'muted' },
  r.components.map((c) => `${LABELS[c.key]} ${c.points}/${c.max}`).join(' · '));

function rateCell(r, kind, onSaved) {
  if (period.length === 4) return r.leader ?? '';
  const input = h('input', { type: 'number', min: 0, max: 100, step: 1, value: r.leader ?? '', style: 'width:4.5em', 'aria-label': `${r.name} 领导评议` });
  const save = async () => {
    try {
      await post('/assessment/ratings', { period, [kind === 'cadre' ? 'cadreId' : 'unitId']: r.id, score: input.value });
      onSaved();
    } catch (e) { alert(e.message); }
  };
  return h('span', {}, input, ' ', h('button', { class: 'link', 'data-rate': `${kind}-${r.id}`, onclick: save }, '保存'));
}

function scoreTable(rows, kind, onSaved) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['县区排名', '乡镇排名', kind === 'cadre' ? '姓名' : '单位', kind === 'cadre' ? '单位' : '联系村',
      '工作实绩', '领导评议', '群众评议', '总分', '得分明细'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: 9, class: 'empty' }, '暂无考评对象'))
      : rows.map((r) => h('tr', { 'data-row': `${kind}-${r.id}` },
        h('td', { class: 'num' }, r.countyRank), h('td', { class: 'num' }, r.townshipRank), h('td', {}, r.name),
        h('td', {}, kind === 'cadre' ? r.unitName || '' : r.place),
        h('td', { class: 'num' }, r.work), h('td', {}, rateCell(r, kind, onSaved)), h('td', { class: 'num' }, r.mass ?? ''),
        h('td', { class: 'num' }, h('strong', {}, r.total)), h('td', {}, breakdown(r)))))));
}

// The scoring scheme (score.* rules): shown to leaders, edited by admins.
async function schemePanel(onSaved) {
  const d = await api('/assessment/scheme');
  const value = (r) => {
    if (!d.editable) return r.value;
    const input = h('input', { type: 'number', min: 0, step: 'any', value: r.value, style: 'width:5em', 'aria-label': r.label });
    const save = async () => {
      try {
        await post('/assessment/scheme', { key: r.key, value: input.value });
        onSaved();
      } catch (e) { alert(e.message); }
    };
    return h('span', {}, input, ' ', h('button', { class: 'link', 'data-scheme': r.key, onclick: save }, '保存'));
  };
  return h('details', { 'data-section': 'scheme' }, h('summary', {}, d.editable ? '考评办法（分值，可修改）' : '考评办法（分值）'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('tbody', {}, d.rules.map((r) => h('tr', {}, h('td', {}, r.label), h('td', { class: 'num' }, value(r))))))));
}

export async function renderAssessment({ scope }) {
  const box = h('div', { 'data-section': 'assessment' });
  const draw = async () => {
    const d = await api('/assessment', { scope: scope.id, period });
    const select = h('select', { onchange: (e) => { period = e.target.value; draw().catch((err) => alert(err.message)); } },
      periods().map((p) => h('option', { value: p, selected: p === period }, p.length === 4 ? `${p}年` : p.replace('-Q', '年第') + '季度')));
    replace(box,
      h('div', { class: 'range' }, h('label', {}, '考评期间 ', select),
        h('a', { class: 'btn', href: exportUrl('assessment', { scope: scope.id, period }), 'data-export': 'assessment' }, '导出考评结果')),
      h('p', { class: 'muted' }, '工作实绩按各项任务完成比例计分（不适用的项目不计），总分 = 工作实绩、领导评议、群众评议按比例合计；领导评议按季度填写（0–100）。'),
      await schemePanel(draw),
      h('h3', {}, `干部（${d.cadres.length} 人）`), scoreTable(d.cadres, 'cadre', draw),
      h('h3', {}, `单位（${d.units.length} 个）`), scoreTable(d.units, 'unit', draw));
  };
  await draw();
  return box;
}
