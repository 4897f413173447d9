// The record pages of a village, unit, cadre or household (#tab=village&id=…): the header facts,
// then the records of the chosen period, newest first, 50 to a page: check-ins, household visits with
// their text, 民情日记, problems (linked to the ledger), photos and 六送 help acts.
import { api } from './api.js';
import { h, pager, pct, ratio, replace, table } from './dom.js';

const SIZE = 50;
const TITLES = { visits: '进村签到', householdVisits: '入户走访', diary: '民情日记', problems: '问题', photos: '照片', help: '六送帮扶' };
const STATUS = { open: '未销号', closed: '已销号' };
const SOURCES = { chat: '聊天', location: '位置', h5: 'H5', console: '控制台' };
const KIND_NAMES = { village: '村', unit: '单位', cadre: '干部', household: '农户' };

/** An ISO instant as a Shanghai date, 2026年12月7日. */
export function dayCn(iso) {
  if (!iso) return '';
  const [y, m, d] = new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString().slice(0, 10).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** An ISO instant as 2026年12月7日 08:30 (Shanghai). */
export function timeCn(iso) {
  if (!iso) return '';
  return `${dayCn(iso)} ${new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString().slice(11, 16)}`;
}

/** A YYYY-MM-DD date as 2026年12月7日. */
const dateCn = (d) => (d ? dayCn(`${d}T00:00:00+08:00`) : '');

/** The hash of another console view, keeping the scope and the dates of the current one. */
export function viewHref(change) {
  const p = new URLSearchParams(location.hash.slice(1));
  for (const k of ['id', 'problem']) p.delete(k);
  for (const [k, v] of Object.entries(change)) p.set(k, v);
  return `#${p}`;
}

/** A name linking to its record page; plain text when there is no id or links are off. */
export function recordLink(kind, id, text, links = true) {
  if (!id || !links) return text || '';
  // A link inside a clickable row opens the page, not the row's own action.
  return h('a', { href: viewHref({ tab: kind, id }), 'data-record': kind, onclick: (e) => e.stopPropagation() }, text || '');
}

const fact = (title, ...value) => [h('dt', {}, title), h('dd', {}, ...value)];
const joined = (items, render) => items.length === 0 ? '—' : items.map((x, i) => [i > 0 ? '、' : null, render(x)]);

function header(d) {
  if (d.kind === 'village') {
    return [h('h2', {}, d.place, d.isPoor ? h('span', { class: 'tag warn' }, '贫困村') : null),
      h('dl', { class: 'facts' },
        fact('联系单位', joined(d.units, (u) => [recordLink('unit', u.id, u.name), h('span', { class: 'muted' }, `（${dateCn(u.since)}起）`)])),
        fact('联户干部', joined(d.cadres, (c) => recordLink('cadre', c.id, c.name))),
        fact('农户', `${d.households} 户，已联户 ${d.covered} 户（覆盖率 ${pct(ratio(d.covered, d.households))}）`),
        fact('联村覆盖', d.unitLinkedSince ? `${dateCn(d.unitLinkedSince)}起` : '尚无联系单位'))];
  }
  if (d.kind === 'unit') {
    return [h('h2', {}, d.name),
      h('dl', { class: 'facts' },
        fact('联系村', joined(d.villages, (v) => recordLink('village', v.id, v.place))),
        fact('干部', `${d.cadreCount} 人：`, joined(d.cadres, (c) => recordLink('cadre', c.id, c.name))),
        fact('联系农户', `${d.households} 户`))];
  }
  if (d.kind === 'cadre') {
    return [h('h2', {}, d.name, h('span', { class: 'muted' }, `（${d.role}）`)),
      h('dl', { class: 'facts' },
        fact('单位', d.unit ? recordLink('unit', d.unit.id, d.unit.name) : '—'),
        fact('手机', d.mobile || '—'),
        fact('联系村', joined(d.villages, (v) => recordLink('village', v.id, v.place))),
        d.residentVillage ? fact('驻村', recordLink('village', d.residentVillage.id, d.residentVillage.place)) : null,
        fact('联系户', `${d.householdCount} 户：`, joined(d.households, (x) => recordLink('household', x.id, x.name))))];
  }
  return [h('h2', {}, d.name, h('span', { class: 'muted' }, `（${d.category}）`)),
    h('dl', { class: 'facts' },
      fact('村', recordLink('village', d.village.id, d.village.place)),
      fact('人口', `${d.size} 人`),
      fact('致贫原因', d.povertyCause || '—'),
      fact('帮扶状态', d.aidStatus || '—'),
      fact('联户干部', joined(d.cadres, (c) => [recordLink('cadre', c.id, c.name), c.unit ? h('span', { class: 'muted' }, `（${c.unit}）`) : null])))];
}

function columns(list, links) {
  const cadre = { title: '干部', render: (r) => recordLink('cadre', r.cadreId, r.cadre, links) };
  const village = { title: '村', render: (r) => recordLink('village', r.villageId, r.place, links) };
  const household = { title: '农户', render: (r) => recordLink('household', r.householdId, r.householder, links) };
  return {
    visits: [{ title: '签到', render: (r) => timeCn(r.at) }, { title: '签退', render: (r) => (r.endedAt ? timeCn(r.endedAt) : '未签退') },
      cadre, { title: '单位', key: 'unit' }, village,
      { title: '时长', num: true, render: (r) => (r.durationMinutes === null ? '' : `${Math.floor(r.durationMinutes / 60)}小时${r.durationMinutes % 60}分`) },
      { title: '定位核验', render: (r) => (r.verified ? '是' : '否') }, { title: '来源', render: (r) => SOURCES[r.source] || r.source },
      { title: '照片', num: true, key: 'photos' }],
    householdVisits: [{ title: '时间', render: (r) => timeCn(r.at) }, cadre, household, village,
      { title: '谈心', render: (r) => (r.talk ? '是' : '否') }, { title: '走访内容', render: (r) => h('span', { class: 'desc' }, r.note || '—') }],
    diary: [{ title: '时间', render: (r) => timeCn(r.at) }, cadre, village, { title: '日记内容', render: (r) => h('span', { class: 'desc' }, r.content) }],
    problems: [{ title: '上报时间', render: (r) => timeCn(r.at) },
      { title: '编号', render: (r) => (links ? h('a', { href: viewHref({ tab: 'ledger', problem: r.id }) }, r.code) : r.code) },
      village, { title: '问题', render: (r) => h('span', { class: 'desc' }, r.description) }, { title: '上报人', render: cadre.render },
      { title: '期限', render: (r) => dateCn(r.deadline) }, { title: '状态', render: (r) => STATUS[r.status] || r.status }],
    help: [{ title: '时间', render: (r) => timeCn(r.at) }, cadre, household, { title: '类别', key: 'kind' },
      { title: '内容', render: (r) => h('span', { class: 'desc' }, r.note) }, { title: '金额(元)', num: true, render: (r) => r.amountYuan ?? '' }],
  }[list];
}

function photoGrid(rows, links) {
  if (rows.length === 0) return h('p', { class: 'muted' }, '该时段没有照片');
  return h('div', { class: 'photos' }, rows.map((p) => h('figure', {},
    h('a', { href: p.url, target: '_blank' }, h('img', { src: p.thumbUrl, alt: `${p.cadre}的照片`, loading: 'lazy' })),
    h('figcaption', {}, timeCn(p.at), ' ', recordLink('cadre', p.cadreId, p.cadre, links)))));
}

/** One list of a subject's records, with its own pager. */
async function listSection(kind, id, list, range, links) {
  const section = h('section', { class: 'records', 'data-list': list });
  const draw = async (page) => {
    const d = await api(`/records/${kind}/${id}/${list}`, { ...range, page, size: SIZE });
    replace(section,
      h('h3', {}, TITLES[list], h('span', { class: 'muted' }, `（共 ${d.total} 条）`)),
      list === 'photos' ? photoGrid(d.rows, links) : table(columns(list, links), d.rows, { empty: '该时段没有记录' }),
      d.total > SIZE ? pager(d.total, page, SIZE, (p) => draw(p).catch((e) => alert(e.message))) : null);
  };
  await draw(1);
  return section;
}

/** Every list of a subject for the period [from, to]. */
export async function recordSections(kind, id, lists, { from, to }, links = true) {
  return Promise.all(lists.map((list) => listSection(kind, id, list, { from, to }, links)));
}

function renderRecord(kind) {
  return async ({ id, from, to }) => {
    if (!id) return h('p', { class: 'muted' }, `请从列表中选择一个${KIND_NAMES[kind]}。`);
    const d = await api(`/records/${kind}/${id}`);
    return h('div', { class: 'record', 'data-record-page': kind },
      h('div', { class: 'panel' }, header(d)),
      h('p', { class: 'muted' }, `以下为 ${dateCn(from)} 至 ${dateCn(to)} 的记录（按时间倒序）。`),
      await recordSections(kind, id, d.lists, { from, to }));
  };
}

export const renderVillage = renderRecord('village');
export const renderUnit = renderRecord('unit');
export const renderCadre = renderRecord('cadre');
export const renderHousehold = renderRecord('household');
