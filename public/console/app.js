// The console shell: header, scope drill-down (province → city → county →
// township → village), tabs, and the date range shared by the chart and the
// exports. Plain ES modules served as they are: no build step, no toolchain.
import { api, exportUrl } from './api.js';
import { h, replace } from './dom.js';
import { renderWork } from './work.js';
import { longDate, preset, rangeControls, rangeError } from './range.js';
import { renderOverview } from './overview.js';
import { renderActivity } from './activity.js';
import { renderStanding } from './standing.js';
import { renderLedger } from './ledger.js';
import { renderNotices } from './notices.js';
import { renderOversight } from './oversight.js';
import { renderAssessment } from './assessment.js';
import { renderMap } from './map.js';
import { renderMyPage } from './my-page.js';
import { renderVillage, renderUnit, renderCadre, renderHousehold } from './records.js';
import { renderNotice } from './notice.js';
import { renderMustVisits } from './must-visits.js';
import { scrollCue } from './scroll-cue.js';

const TABS = [
  ['work', '工作概况', renderWork],
  ['overview', '两个全覆盖', renderOverview],
  ['activity', '走访动态', renderActivity],
  ['standing', '任务进度', renderStanding],
  ['ledger', '问题台账', renderLedger],
  ['notices', '通知回执', renderNotices],
  ['oversight', '帮扶督查', renderOversight],
  ['mustvisits', '五必访', renderMustVisits],
  ['assessment', '考评', renderAssessment],
  ['map', '地图', renderMap],
];
// Detail views, opened by links (#tab=village&id=…), never shown as tab buttons.
const DETAILS = [
  ['village', '村', renderVillage],
  ['unit', '单位', renderUnit],
  ['cadre', '干部', renderCadre],
  ['household', '农户', renderHousehold],
  ['notice', '通知', renderNotice],
];
const VIEWS = [...TABS, ...DETAILS];
const TITLES = { leader: '领导控制台', cadre: '我的双联' };
const LEVELS = ['省', '市', '县区', '乡镇', '村'];
// The landing tab (工作台, key `work`) when there is one, else 两个全覆盖; it opens on 本周, the others on 本年.
const DEFAULT_TAB = TABS.some(([k]) => k === 'work') ? 'work' : 'overview';
const defaultRange = (tab) => preset(tab === 'work' ? 'week' : 'year');

const state = { me: null, tree: null, scope: null, tab: DEFAULT_TAB, from: null, to: null, rangeError: null, id: null };

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.scope = p.get('scope') ? Number(p.get('scope')) : null;
  state.tab = VIEWS.some(([k]) => k === p.get('tab')) ? p.get('tab') : DEFAULT_TAB;
  // A range once chosen stays in the hash across tabs and reloads; until then, each tab's default.
  state.rangeChosen = p.has('from') || p.has('to');
  const range = state.rangeChosen ? { from: p.get('from'), to: p.get('to') } : defaultRange(state.tab);
  Object.assign(state, range, { rangeError: rangeError(range.from, range.to) });
  state.id = Number(p.get('id')) || null;
  // A reminder card opens one problem: #tab=ledger&problem=<id> (src/services/notices/link-cards.ts).
  state.problem = Number(p.get('problem')) || null;
}

export function go(change) {
  Object.assign(state, { id: null }, change);
  // A detail view without its id (a new scope picked on it) falls back to the first tab.
  if (!state.id && DETAILS.some(([k]) => k === state.tab)) state.tab = TABS[0][0];
  if ('from' in change || 'to' in change) state.rangeChosen = true;
  const p = new URLSearchParams();
  if (state.scope) p.set('scope', state.scope);
  p.set('tab', state.tab);
  if (state.rangeChosen) {
    p.set('from', state.from);
    p.set('to', state.to);
  }
  if (state.id) p.set('id', state.id);
  location.hash = p.toString();
}

function header() {
  const me = state.me;
  const title = me.scope ? TITLES.leader : TITLES.cadre;
  document.title = `双联助手 · ${title}`;
  return h('header', { class: 'top' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '双联'), h('span', {}, '双联助手', h('span', { class: me.scope ? 'wide' : '', 'data-title': '' }, ` · ${title}`))),
    h('div', { class: 'who' },
      h('span', {}, me.name, h('span', { class: 'wide' }, `（${me.role}${me.scope ? ` · ${me.scope.name}` : ''}）`)),
      h('form', { method: 'post', action: '/console/logout' }, h('button', { class: 'link' }, '退出'))));
}

function scopeBar() {
  const t = state.tree;
  const crumbs = t.trail.map((n, i) => [i > 0 ? h('span', { class: 'sep' }, '›') : null,
    n.id === t.region.id ? h('strong', {}, n.name) : h('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ scope: n.id }); } }, n.name)]);
  const children = t.children.length === 0 ? null : h('div', { class: 'children' },
    h('span', { class: 'muted' }, `下级${LEVELS[t.region.level + 1] || ''}：`),
    t.children.map((c) => h('button', { class: 'chip', 'data-region': c.id, onclick: () => go({ scope: c.id }) }, c.name)));
  return h('section', { class: 'scope' }, h('nav', { class: 'crumbs', 'aria-label': '范围' }, crumbs), children);
}

function rangeBar() {
  const params = () => ({ scope: state.tree.region.id, from: state.from, to: state.to });
  const link = (kind, text) => h('a', { class: 'btn', href: '#', 'data-export': kind,
    onclick: (e) => { e.preventDefault(); location.href = exportUrl(kind, params()); } }, text);
  return h('div', { class: 'range' },
    rangeControls(state, (r) => go({ ...r, id: state.id })),
    h('span', { class: 'exports' }, '导出Excel：', link('ledger', '问题台账'), link('visits', '走访记录'), link('standing', '任务进度'), link('help', '帮扶台账')));
}

/** Renders started so far: a render that a later one overtook (a tab clicked while the last still loads) draws nothing. */
let renders = 0;

async function render() {
  const seq = ++renders;
  const current = () => seq === renders;
  const root = document.getElementById('app');
  if (!state.me.scope) {
    const page = await renderMyPage(state.me);
    if (current()) replace(root, header(), h('main', {}, page));
    return;
  }
  const tree = await api('/tree', { scope: state.scope });
  if (!current()) return;
  state.tree = tree;
  const body = h('div', { class: 'panel' }, h('p', { class: 'muted' }, '加载中…'));
  const tab = VIEWS.find(([k]) => k === state.tab);
  const printed = state.rangeError ? '' : ` · ${longDate(state.from)}至${longDate(state.to)}`;
  replace(root, header(), h('main', {},
    h('h1', { class: 'print-title' }, `${(state.tree.region.fullName || state.tree.region.name).replace(/\//g, '')} · ${tab[1]}${printed}`),
    scopeBar(),
    scrollCue(h('nav', { class: 'tabs' }, TABS.map(([k, title]) => h('button', { class: k === state.tab ? 'active' : '', 'data-tab': k, onclick: () => go({ tab: k }) }, title)),
      DETAILS.filter(([k]) => k === state.tab).map(([, title]) => h('button', { class: 'active', 'data-tab': state.tab }, `${title}详情`))), 'tabs-box'),
    rangeBar(),
    body));
  if (state.rangeError) {
    replace(body, h('p', { class: 'error' }, state.rangeError));
    return;
  }
  let shown;
  try {
    shown = await tab[2]({ scope: state.tree.region, tree: state.tree, from: state.from, to: state.to, go, id: state.id, problem: state.problem });
  } catch (e) {
    shown = h('p', { class: 'error' }, e.message);
  }
  if (current()) replace(body, shown);
}

async function start() {
  readHash();
  // Listening before the first render: an address changed while the page still loads is drawn, not lost.
  window.addEventListener('hashchange', () => {
    readHash();
    if (state.me) render().catch((e) => alert(e.message));
  });
  try {
    state.me = await api('/me');
    await render();
  } catch (e) {
    replace(document.getElementById('app'), h('p', { class: 'error' }, e.message));
  }
}

start();
