// 帮扶督查: this year's 六送 acts by kind, resident team members behind pace on
// 220/160, and the villages without the 督查 each kind is due this month / quarter.
import { api } from './api.js';
import { h, table } from './dom.js';
import { recordLink } from './records.js';

const KINDS = ['送政策', '送项目', '送资金', '送技术', '送信息', '送温暖'];
const BLOCK = { 1: '本月', 3: '本季度', 6: '本半年', 12: '今年' };
const block = (months) => BLOCK[months] || `近${months}个月`;
const acts = (counts, kind) => counts.byKind.find((k) => k.kind === kind)?.acts ?? 0;
const yes = (ok) => h('span', { class: `tag ${ok ? 'good' : 'bad'}` }, ok ? '已督查' : '未督查');

export async function renderOversight({ scope, go }) {
  const d = await api('/oversight', { scope: scope.id });
  const i = d.inspections;
  return h('div', { 'data-section': 'oversight' },
    h('h3', {}, `六送帮扶（今年共 ${d.help.acts} 次，送资金 ${d.help.amountYuan} 元）`),
    table([
      { title: '地区', render: (r) => h('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ scope: r.id }); } }, r.name) },
      ...KINDS.map((k) => ({ title: k, num: true, render: (r) => acts(r, k) })),
      { title: '合计', key: 'acts', num: true },
      { title: '资金(元)', key: 'amountYuan', num: true },
    ], d.helpByChild, { empty: '今年暂无帮扶记录（聊天中发送“帮扶 户主 类别 内容”记录）' }),
    h('h3', {}, `驻村队员进度落后（${d.team.total} 人）`),
    h('p', { class: 'muted' }, '驻村工作队员全年到村不少于220天、驻村（在村过夜）不少于160天，按驻村时间折算到今天。'),
    table([
      { title: '队员', render: (r) => recordLink('cadre', r.cadreId, r.name) }, { title: '村', render: (r) => r.place || '' },
      { title: '到村天数', num: true, render: (r) => `${r.daysOnSite} / ${r.requiredOnSite}` },
      { title: '驻村天数', num: true, render: (r) => `${r.daysResident} / ${r.requiredResident}` },
    ], d.team.rows, { empty: '驻村队员均达到进度 ✓' }),
    h('h3', {}, `督查：${block(i.unannouncedMonths)}未明察暗访 ${i.noUnannounced} / ${i.villages} 个村，${block(i.centralMonths)}未集中督查 ${i.noCentral} / ${i.villages} 个村`),
    table([
      { title: '村', render: (r) => recordLink('village', r.id, r.place) },
      { title: `${block(i.unannouncedMonths)}明察暗访`, render: (r) => yes(r.unannounced) },
      { title: `${block(i.centralMonths)}集中督查`, render: (r) => yes(r.central) },
    ], i.gaps, { empty: '全部村已按期督查 ✓' }));
}
