import { createReadStream } from 'node:fs';
import { systemClock } from '../lib/db';
import { join } from 'node:path';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { SIMULATOR_MOUNT } from '../config';
import { AppError } from '../lib/errors';
import { simulatorRouter } from './simulator';
import { deliverEvent } from './simulator/events';
import { demoCardButtons, demoMessages, demoPeople, sendAsWecom, storeDemoImage, type DemoInput } from './chat';
import { CALLBACK_PATH } from '../routes/callback';
import { PUBLIC_DIR } from '../routes/console/assets';
import { demoHomePage } from './home-page';
import { demoLinks } from './links';

/**
 * Demo mode only (no WECOM_* credentials): the WeCom simulator mounted at
 * SIMULATOR_MOUNT, the home page at `/` linking every demo page, and the /demo
 * chat page that types as any roster person. Outside demo mode none of these
 * routes exist (404).
 */

const DEMO_DIR = join(PUBLIC_DIR, 'demo');
const TEXT = {
  badInput: '请选择人员并输入消息。',
  badImage: '请上传不超过2MB的图片（JPG、PNG、GIF、WebP）。',
  callbackFailed: '消息未能送达回调接口。',
};

const sendSchema = z.object({
  userid: z.string().min(1).max(64),
  message: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), content: z.string().min(1).max(600) }),
    z.object({
      kind: z.literal('location'),
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      label: z.string().max(100).default(''),
    }),
    z.object({ kind: z.literal('image'), dataUrl: z.string().max(3 * 1024 * 1024) }),
  ]),
});

/** A tap on the menu or a card, as WeCom would post it (docs/wecom.md §8). */
const eventSchema = z.object({
  userid: z.string().min(1).max(64),
  event: z.enum(['click', 'location_select', 'pic_photo_or_album', 'template_card_event', 'enter_agent']),
  eventKey: z.string().max(128).optional(),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    label: z.string().max(100).optional(),
    poiname: z.string().max(100).optional(),
  }).optional(),
  pictures: z.number().int().min(1).max(9).optional(),
  taskId: z.string().max(128).optional(),
  cardType: z.string().max(32).optional(),
});

const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export function registerDemoRoutes(router: Router, deps: AppDeps): void {
  const sim = deps.simulator;
  if (!deps.config.demo || !sim) return;
  const simRoutes = simulatorRouter(sim, { prefix: SIMULATOR_MOUNT });
  router.use(simRoutes.routes(), simRoutes.allowedMethods());

  const file = (name: string, type: string) => async (ctx: import('koa').Context) => {
    ctx.set(PAGE_HEADERS);
    ctx.type = type;
    ctx.body = createReadStream(join(DEMO_DIR, name));
  };
  router.get('/', (ctx) => {
    ctx.set(PAGE_HEADERS);
    ctx.type = 'html';
    ctx.body = demoHomePage(demoLinks(deps.config));
  });
  router.get('/demo', file('index.html', 'html'));
  router.get('/demo/demo.js', file('demo.js', 'application/javascript'));
  router.get('/demo/markdown.js', file('markdown.js', 'application/javascript'));
  router.get('/demo/demo.css', file('demo.css', 'text/css'));

  router.get('/demo/api/people', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { people: await demoPeople(deps.db) };
  });

  router.post('/demo/api/send', bodyParser({ enableTypes: ['json'], jsonLimit: '4mb' }), async (ctx) => {
    const parsed = sendSchema.safeParse(ctx.request.body);
    if (!parsed.success) throw new AppError('bad_input', parsed.error.message, TEXT.badInput, 400);
    // The callback on this very server, reached over HTTP like WeCom would.
    const base = `http://127.0.0.1:${ctx.req.socket.localPort}`;
    const now = (deps.clock ?? systemClock)();
    const m = parsed.data.message;
    const input: DemoInput | null = m.kind === 'image' ? storeDemoImage(sim, m.dataUrl, `${base}${SIMULATOR_MOUNT}/cgi-bin/media/get`) : m;
    if (!input) throw new AppError('bad_image', 'not a small image data URL', TEXT.badImage, 400);
    const r = await sendAsWecom(deps.config.wecom, `${base}${CALLBACK_PATH}`, parsed.data.userid, input, now);
    if (r.status !== 200) throw new AppError('callback_failed', `callback answered HTTP ${r.status}`, TEXT.callbackFailed, 502);
    ctx.body = { reply: r.reply };
  });

  // The app menu as the simulator holds it (main.ts creates it in demo mode).
  router.get('/demo/api/menu', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { menu: sim.menu ?? [] };
  });

  // A tap: the simulator builds WeCom's event XML, encrypts it and posts it to this server's callback.
  router.post('/demo/api/event', bodyParser({ enableTypes: ['json'] }), async (ctx) => {
    const parsed = eventSchema.safeParse(ctx.request.body);
    if (!parsed.success) throw new AppError('bad_input', parsed.error.message, TEXT.badInput, 400);
    const { userid, ...input } = parsed.data;
    const w = deps.config.wecom;
    const target = { url: `http://127.0.0.1:${ctx.req.socket.localPort}${CALLBACK_PATH}`, token: w.token, encodingAesKey: w.encodingAesKey };
    const r = await deliverEvent(sim, target, userid, input, (deps.clock ?? systemClock)().getTime());
    if (r.status !== 200) throw new AppError('callback_failed', `callback answered HTTP ${r.status}`, TEXT.callbackFailed, 502);
    ctx.body = { reply: r.reply };
  });

  router.get('/demo/api/messages', async (ctx) => {
    const q = z.object({ userid: z.string().min(1).max(64), since: z.coerce.number().int().min(0).default(0) }).safeParse(ctx.query);
    if (!q.success) throw new AppError('bad_input', q.error.message, TEXT.badInput, 400);
    const messages = await demoMessages(deps.db, sim, q.data.userid, q.data.since);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { messages, lastSeq: messages.at(-1)?.seq ?? q.data.since, buttons: demoCardButtons(sim, q.data.userid) };
  });
}
