// WeCom app markdown as the WeCom client draws it (企业微信 应用消息 markdown):
// # to ###### headings, **bold**, [links](https://…), `code`, > quotes,
// <font color="info|comment|warning"> and line breaks; anything else stays
// text. Builds DOM nodes only: message text never goes through innerHTML.

const HEADING = /^(#{1,6})\s+(.*)$/;
const QUOTE = /^>\s?(.*)$/;
// One inline token at a time, leftmost first: bold, coloured text, a link, inline code.
const INLINE = /\*\*(.+?)\*\*|<font color="(info|comment|warning)">(.*?)<\/font>|\[([^\]\n]+)\]\(([^)\s]+)\)|`([^`\n]+)`/;
const SAFE_HREF = /^(https?:\/\/|\/(?!\/))/i;

function inline(parent, text) {
  let rest = text;
  for (let m = INLINE.exec(rest); m; m = INLINE.exec(rest)) {
    if (m.index > 0) parent.append(document.createTextNode(rest.slice(0, m.index)));
    if (m[1] !== undefined) {
      inline(parent.appendChild(document.createElement('strong')), m[1]);
    } else if (m[2] !== undefined) {
      const span = parent.appendChild(document.createElement('span'));
      span.className = `md-${m[2]}`;
      inline(span, m[3]);
    } else if (m[4] !== undefined) {
      if (SAFE_HREF.test(m[5])) {
        const a = parent.appendChild(document.createElement('a'));
        a.href = m[5];
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        inline(a, m[4]);
      } else {
        parent.append(document.createTextNode(m[0])); // javascript: and the like stay visible text
      }
    } else {
      parent.appendChild(document.createElement('code')).textContent = m[6];
    }
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) parent.append(document.createTextNode(rest));
}

/** A DocumentFragment of block elements, one per line of `text`. */
export function renderMarkdown(text) {
  const out = document.createDocumentFragment();
  for (const line of String(text).split('\n')) {
    const h = HEADING.exec(line);
    const q = h ? null : QUOTE.exec(line);
    let el;
    if (h) el = document.createElement(`h${h[1].length}`);
    else if (q) el = document.createElement('blockquote');
    else el = document.createElement('p');
    el.className = 'md-line';
    const body = h ? h[2] : q ? q[1] : line;
    if (body) inline(el, body);
    else el.append(document.createElement('br')); // an empty line keeps its height
    out.append(el);
  }
  return out;
}
