import type { DemoLink } from './links';

/**
 * The demo server's home page at `/`: where each demo page is and what it is
 * for. Server-rendered, no script (the CSP allows none inline); styled by
 * /demo/demo.css. Outside demo mode `/` does not exist (404).
 */

const TITLE = '双联助手 · 演示模式';
const INTRO = '未配置企业微信凭据，本服务运行在演示模式：消息发往内置的企业微信模拟器，花名册为演示数据。';
const TRY = '先打开“模拟企业微信聊天”，选择一位干部，发送“帮助”。';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function demoHomePage(links: DemoLink[]): string {
  const items = links.filter((l) => l.path !== '/').map((l) => `
      <li><a href="${esc(l.path)}" data-testid="home-link">${esc(l.title)}</a> <code>${esc(l.path)}</code>
        <p>${esc(l.about)}${l.note ? ` <span class="note">${esc(l.note)}</span>` : ''}</p></li>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${TITLE}</title>
  <link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
  <header><h1>${TITLE}</h1><p class="hint">${INTRO}</p></header>
  <main class="home">
    <ul class="home-links">${items}
    </ul>
    <p class="home-try">${TRY}</p>
  </main>
</body>
</html>
`;
}
