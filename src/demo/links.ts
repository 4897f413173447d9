import { DEMO_ADMIN_TOKEN, type Config } from '../config';
import { ADMIN_BASE } from '../routes/admin';

/**
 * The pages a demo server offers, in one list: the start-up lines main.ts
 * prints and the home page at `/` (home-page.ts) both read it.
 */

export interface DemoLink {
  /** Path and query, relative to PUBLIC_URL. */
  path: string;
  title: string;
  about: string;
  /** What the visitor needs to know before opening it (e.g. a token), if anything. */
  note?: string;
}

const TEXT = {
  home: ['首页', '本页：演示模式各页面的入口。'],
  chat: ['模拟企业微信聊天', '选择花名册中的任一人员，像在企业微信应用里一样发消息，查看机器人的回复和推送。'],
  console: ['控制台', '领导控制台；演示模式下点选花名册中的人员登录。'],
  h5: ['H5签到', '干部在手机上按定位签到的页面（同样点选人员登录）。'],
  admin: ['任务面板', '后台任务队列（定时任务、消息发送）的运行情况。'],
  demoToken: `链接已带演示管理令牌 ${DEMO_ADMIN_TOKEN}。`,
  ownToken: '需要管理令牌：在地址后加上 ?token=<ADMIN_TOKEN>。',
} as const;

export function demoLinks(config: Pick<Config, 'adminToken'>): DemoLink[] {
  const link = ([title, about]: readonly [string, string], path: string, note?: string): DemoLink => ({ path, title, about, note });
  // The demo's own token is no secret (README prints it); one the operator set is never shown.
  const admin = config.adminToken === DEMO_ADMIN_TOKEN
    ? link(TEXT.admin, `${ADMIN_BASE}?token=${DEMO_ADMIN_TOKEN}`, TEXT.demoToken)
    : link(TEXT.admin, ADMIN_BASE, TEXT.ownToken);
  return [link(TEXT.home, '/'), link(TEXT.chat, '/demo'), link(TEXT.console, '/console'), link(TEXT.h5, '/h5/checkin'), admin];
}

/** One plain line per page for the terminal, e.g. `双联助手 demo: http://127.0.0.1:3000/demo  模拟企业微信聊天`. */
export function demoUrlLines(config: Pick<Config, 'adminToken' | 'publicUrl'>): string[] {
  return demoLinks(config).map((l) => `双联助手 demo: ${config.publicUrl}${l.path}  ${l.title}${l.note ? `（${l.note}）` : ''}`);
}
