// The date range every page reads: `from` and `to` (YYYY-MM-DD, Shanghai dates, `to` included) in the
// hash, the presets 本周 / 上周 / 本月 / 本季度 / 本年, and the refusal of a range that makes no sense.
import { h, today } from './dom.js';

const DAY = 24 * 3600e3;
const BAD_DATE = (d) => `日期范围有误：“${d}”不是有效日期，请重新选择。`;
const FROM_AFTER_TO = '日期范围有误：开始日期不能晚于结束日期，请重新选择。';

const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const monday = (d) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

/** [key, label, () => {from, to}] in the order the buttons show. */
export const PRESETS = [
  ['week', '本周', () => ({ from: monday(today()), to: today() })],
  ['lastweek', '上周', () => ({ from: addDays(monday(today()), -7), to: addDays(monday(today()), -1) })],
  ['month', '本月', () => ({ from: `${today().slice(0, 7)}-01`, to: today() })],
  ['quarter', '本季度', () => {
    const t = today();
    const m = Math.floor((Number(t.slice(5, 7)) - 1) / 3) * 3 + 1;
    return { from: `${t.slice(0, 4)}-${String(m).padStart(2, '0')}-01`, to: t };
  }],
  ['year', '本年', () => ({ from: `${today().slice(0, 4)}-01-01`, to: today() })],
];

export function preset(key) {
  return PRESETS.find(([k]) => k === key)[2]();
}

/** The preset the range is, or null. */
export function activePreset(from, to) {
  const p = PRESETS.find(([, , f]) => { const r = f(); return r.from === from && r.to === to; });
  return p ? p[0] : null;
}

function isDate(d) {
  if (!/^20\d{2}-\d{2}-\d{2}$/.test(d || '')) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}

/** A Chinese sentence saying what is wrong with the range, or null when it is good. */
export function rangeError(from, to) {
  if (!isDate(from)) return BAD_DATE(from || '');
  if (!isDate(to)) return BAD_DATE(to || '');
  return from > to ? FROM_AFTER_TO : null;
}

/** 2026-12-07 → 2026年12月7日 */
export function longDate(d) {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 2026-12-07 → 12月7日; with the year (2025年12月7日) when it is not this year. */
export function shortDate(d) {
  return d.slice(0, 4) === today().slice(0, 4) ? longDate(d).replace(/^\d+年/, '') : longDate(d);
}

/**
 * The range bar: two date inputs, the presets (the active one highlighted) and a line for a
 * refused range. `apply({from, to})` is called only with a good range.
 */
export function rangeControls({ from, to, error }, apply) {
  const msg = h('span', { class: 'error range-error', role: 'alert' }, error || '');
  const inputs = {};
  const change = () => {
    const next = { from: inputs.from.value, to: inputs.to.value };
    const bad = rangeError(next.from, next.to);
    if (bad) msg.textContent = bad;
    else apply(next);
  };
  const input = (key, value) => (inputs[key] = h('input', { type: 'date', name: key, value: isDate(value) ? value : '', onchange: change }));
  const active = error ? null : activePreset(from, to);
  return h('span', { class: 'range-pick' },
    h('label', {}, '日期 ', input('from', from), ' 至 ', input('to', to)),
    h('span', { class: 'presets' }, PRESETS.map(([k, label]) =>
      h('button', { type: 'button', class: k === active ? 'active' : '', 'data-preset': k, onclick: () => apply(preset(k)) }, label))),
    msg);
}
