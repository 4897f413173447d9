// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so
// names and problem descriptions from the roster cannot inject markup.

/** h('div', {class: 'x', onclick: fn}, child, 'text', [more]) → element */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const pct = (x) => `${(x * 100).toFixed(1)}%`;
export const ratio = (a, b) => (b === 0 ? 0 : a / b);

/** An ISO instant as Shanghai "YYYY-MM-DD HH:mm". */
export function stamp(iso) {
  if (!iso) return '';
  return new Date(new Date(iso).getTime() + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
}

/** Today in Shanghai, YYYY-MM-DD. */
export function today() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

export function table(columns, rows, opts = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: opts.class || '' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : '' }, c.title)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, opts.empty || '暂无数据'))
        : rows.map((r) => h('tr', { class: opts.rowClass ? opts.rowClass(r) : '', onclick: opts.onRow ? () => opts.onRow(r) : undefined },
          columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.render ? c.render(r) : r[c.key])))))));
}

/** Previous / next page buttons for {total} rows at {page, size}. */
export function pager(total, page, size, go) {
  const pages = Math.max(1, Math.ceil(total / size));
  return h('div', { class: 'pager' },
    h('button', { disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    h('span', {}, `第 ${page} / ${pages} 页，共 ${total} 条`),
    h('button', { disabled: page >= pages, onclick: () => go(page + 1) }, '下一页'));
}
