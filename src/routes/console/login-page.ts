import type { LoginPerson } from '../../services/people/directory';
import type { LoginTarget } from '../../auth/session';

/** Server-rendered pages of the login flow: the demo user picker and the refusal page. */

const TITLE = '双联助手 · 演示登录';
const INTRO = '演示模式：未配置企业微信凭据。请选择一位花名册中的人员登录（正式环境通过企业微信网页授权自动登录）。';
const ROLE_HEADING = (role: string, total: number) => `${role}（${total}人）`;
const NOT_LISTED = (n: number) => `另有${n}人未列出。`;
const TARGET_TEXT: Record<LoginTarget, string> = { c: '进入领导控制台', h: '进入H5签到页' };
const EMPTY = '花名册为空：请先导入花名册（npm run roster -- import 文件）。';
const REFUSED_TITLE = '无法登录';

export type DemoUser = LoginPerson;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f3f5f8;margin:0;color:#1f2d3d}
  main{max-width:720px;margin:32px auto;padding:0 16px}
  h1{font-size:22px;color:#b4232a;margin:0 0 8px}
  p{color:#5a6b7d;line-height:1.6}
  .users{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:10px;margin-top:10px}
  form{margin:0}
  button{width:100%;text-align:left;background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:12px 14px;cursor:pointer;font:inherit}
  button:hover{border-color:#b4232a;box-shadow:0 2px 8px rgba(180,35,42,.12)}
  h2{font-size:16px;margin:22px 0 0;color:#1f2d3d}
  .more{font-size:12px;margin:6px 0 0}
  .name{font-weight:600;font-size:16px}.role{display:inline-block;margin-left:6px;font-size:12px;padding:1px 6px;border-radius:4px;background:#fdecec;color:#b4232a}
  .meta{display:block;font-size:12px;color:#7b8a9a;margin-top:4px}
`;

function card(u: DemoUser, target: LoginTarget): string {
  return `
    <form method="post" action="/console/login">
      <input type="hidden" name="userid" value="${esc(u.userid)}"><input type="hidden" name="to" value="${target}">
      <button type="submit" data-userid="${esc(u.userid)}"><span class="name">${esc(u.name)}</span><span class="role">${esc(u.role)}</span>
        <span class="meta">${esc(u.scope ?? u.unit ?? '')}</span></button>
    </form>`;
}

/** The people role by role, in the order given (leaders and admins first: loginPeople). */
export function demoLoginPage(users: DemoUser[], target: LoginTarget): string {
  const roles = [...new Set(users.map((u) => u.role))];
  const sections = roles.map((role) => {
    const people = users.filter((u) => u.role === role);
    const hidden = people[0].roleTotal - people.length;
    return `<section data-role="${esc(role)}"><h2>${esc(ROLE_HEADING(role, people[0].roleTotal))}</h2>
      <div class="users">${people.map((u) => card(u, target)).join('')}</div>${hidden > 0 ? `<p class="more">${NOT_LISTED(hidden)}</p>` : ''}</section>`;
  }).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${TITLE}</title><style>${STYLE}</style></head>
<body><main><h1>${TITLE}</h1><p>${INTRO}</p><p><strong>${TARGET_TEXT[target]}</strong></p>
${sections || `<p>${EMPTY}</p>`}</main></body></html>`;
}

export function refusedPage(message: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${REFUSED_TITLE}</title><style>${STYLE}</style></head>
<body><main><h1>${REFUSED_TITLE}</h1><p>${esc(message)}</p></main></body></html>`;
}
