// 「我的双联」: what a cadre without a leading role sees — their standing this year (the chat's 「进度」)
// and their own records over a period, as on their cadre page.
import { api } from './api.js';
import { h, replace, table, today } from './dom.js';
import { recordSections, timeCn } from './records.js';

const LISTS = ['visits', 'householdVisits', 'diary', 'problems', 'photos', 'help'];
const view = { from: `${today().slice(0, 4)}-01-01`, to: today() };

const status = (behind) => h('span', { class: `tag ${behind ? 'bad' : 'good'}` }, behind ? '滞后' : '达标');
const of = (done, owed) => `${done} / ${owed}`;

function standing(s) {
  const parts = [];
  if (s.villages.length) {
    parts.push(h('h3', {}, '联村（本单位进村，按全年进度折算）'), table([
      { title: '联系村', key: 'villageName' }, { title: '进村次数 / 应达', num: true, render: (v) => of(v.visits, v.requiredVisits) },
      { title: '进村天数 / 应达', num: true, render: (v) => of(v.days, v.requiredDays) }, { title: '状态', render: (v) => status(v.behind) }], s.villages));
  }
  if (s.households.length) {
    parts.push(h('h3', {}, `联户（${s.households.length} 户，${s.households.filter((x) => !x.behind).length} 户达到进度）`), table([
      { title: '户主', key: 'householder' }, { title: '走访次数 / 应达', num: true, render: (x) => of(x.visits, x.requiredVisits) },
      { title: '走访天数 / 应达', num: true, render: (x) => of(x.days, x.requiredDays) },
      { title: '谈心 / 应达', num: true, render: (x) => of(x.talks, x.requiredTalks) }, { title: '状态', render: (x) => status(x.behind) }], s.households));
  }
  if (s.team) {
    parts.push(h('h3', {}, '驻村'), table([
      { title: '到村天数 / 应达', num: true, render: (t) => of(t.daysOnSite, t.requiredOnSite) },
      { title: '驻村天数 / 应达', num: true, render: (t) => of(t.daysResident, t.requiredResident) }, { title: '状态', render: (t) => status(t.behind) }], [s.team]));
  }
  const f = s.fiveHundreds;
  if (f) {
    parts.push(h('h3', {}, '五个百'), table([
      { title: '到村天数', num: true, render: () => of(f.daysOnSite.done, f.daysOnSite.required) },
      { title: '走访农户', num: true, render: () => of(f.householdsVisited.done, f.householdsVisited.required) },
      { title: '民情日记天数', num: true, render: () => of(f.diaryDays.done, f.diaryDays.required) },
      { title: '解决问题', num: true, render: () => of(f.problemsSolved.done, f.problemsSolved.required) }], [f]));
  }
  if (s.mustVisits.length) {
    parts.push(h('h3', {}, `五必访：待走访 ${s.mustVisits.length} 件`), table([
      { title: '户主', key: 'householder' }, { title: '事由', key: 'kind' },
      { title: '期限', render: (m) => h('span', { class: new Date(m.dueAt) < new Date() ? 'error' : '' }, timeCn(m.dueAt)) }], s.mustVisits));
  }
  parts.push(h('p', {}, `六送帮扶：今年 ${s.help.acts} 次`, s.help.amountYuan ? `，送资金 ${s.help.amountYuan} 元` : '', '。'));
  return parts.length === 1 ? [h('p', { class: 'muted' }, '您目前没有联系村或联系户，暂无需要完成的指标。'), ...parts] : parts;
}

export async function renderMyPage(me) {
  const s = await api(`/records/cadre/${me.id}/standing`);
  const lists = h('div', {});
  const drawLists = async () => replace(lists, await recordSections('cadre', me.id, LISTS, view, false));
  const input = (key) => h('input', { type: 'date', value: view[key], name: key,
    onchange: (e) => { view[key] = e.target.value; drawLists().catch((err) => alert(err.message)); } });
  await drawLists();
  return h('div', { class: 'my-page' },
    h('div', { class: 'panel', 'data-section': 'my-standing' },
      h('h2', {}, `我的进度（截至${s.date.slice(0, 4)}年${Number(s.date.slice(5, 7))}月${Number(s.date.slice(8))}日）`),
      standing(s),
      h('p', { class: 'muted' }, '签到请使用 ', h('a', { href: '/h5/checkin' }, 'H5签到页'), ' 或在应用聊天中发送“签到 村名”；聊天中发送“进度”可随时查看。')),
    h('div', { class: 'range' }, h('label', {}, '我的记录 ', input('from'), ' 至 ', input('to'))),
    lists);
}
