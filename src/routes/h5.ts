import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { AppError } from '../lib/errors';
import { h5CheckIn, nearbyVillages } from '../services/visits/h5-checkin';
import { jsapiSignature } from '../wecom/client';
import { formatShanghai } from '../lib/time';
import { placeName } from '../lib/place';
import { PUBLIC_DIR, VENDOR, serveDir, serveFile } from './console/assets';
import { idParam } from './console/params';
import { clockOf, cadreOf, parseInput, requireApiSession, requirePageSession, secureHeaders, wecomOf } from './console/context';

/**
 * The H5 check-in page opened from the WeCom app menu: /h5/checkin, its
 * scripts, the JS-SDK signature and the check-in API. The geofence is checked
 * on the server (services/console/h5-checkin.ts).
 */

const TEXT = {
  recorded: (v: string, d: number, t: string) => `已签到：${v}（距村委会${d}米），${t}。离开时请发送“签退”。`,
  duplicate: (v: string) => `您已在${v}签到，无需重复签到。`,
  tooFar: (v: string, d: number, r: number) => `您距离${v}约${d}米，超出签到范围（${r}米），请到村后再签到。`,
  noCoordinates: (v: string) => `${v}未登记坐标，无法核验位置，请在聊天中发送“签到 村名”。`,
  notLinked: '该村不是您的联系村。',
  noJssdk: '企业微信JS-SDK暂不可用，请稍后重试。',
};

const coords = {
  latitude: z.coerce.number().min(-90).max(90),
  longitude: z.coerce.number().min(-180).max(180),
};

export function registerH5Routes(router: Router, deps: AppDeps): void {
  const { db } = deps;
  const api = [secureHeaders, requireApiSession(deps)];

  router.get('/h5/checkin', secureHeaders, requirePageSession(deps, 'h'), async (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = createReadStream(join(PUBLIC_DIR, 'h5', 'checkin.html'));
  });
  serveDir(router, '/h5/assets', join(PUBLIC_DIR, 'h5'), [secureHeaders]);
  serveFile(router, '/h5/vendor/wecom.js', VENDOR.wecomJssdk, [secureHeaders]);

  router.get('/h5/api/jssdk-config', ...api, async (ctx) => {
    const q = parseInput(z.object({ url: z.url().max(2000) }), ctx.query);
    const wecom = wecomOf(deps);
    if (!wecom) throw new AppError('jssdk_unavailable', 'no WeCom client configured', TEXT.noJssdk, 503);
    const ticket = await wecom.getJsapiTicket().catch((err: Error) => {
      throw new AppError('jssdk_unavailable', `jsapi ticket: ${err.message}`, TEXT.noJssdk, 503);
    });
    const signed = jsapiSignature({
      ticket, url: q.url, nonceStr: randomBytes(8).toString('hex'), timestamp: Math.floor(Date.now() / 1000),
    });
    ctx.body = { corpId: deps.config.wecom.corpId, agentId: deps.config.wecom.agentId, ...signed };
  });

  router.get('/h5/api/villages', ...api, async (ctx) => {
    const q = parseInput(z.object(coords), ctx.query);
    ctx.body = { villages: await nearbyVillages(db, cadreOf(ctx), q.latitude, q.longitude, clockOf(deps)()) };
  });

  router.post('/h5/api/checkin', ...api, bodyParser({ enableTypes: ['json'] }), async (ctx) => {
    const body = parseInput(z.object({ villageId: idParam, ...coords }), ctx.request.body);
    const now = clockOf(deps)();
    const r = await db.transaction((manager) => h5CheckIn(manager, { cadre: cadreOf(ctx), ...body, now }));
    switch (r.kind) {
      case 'not_linked':
        throw new AppError('not_linked', `village ${body.villageId} not linked`, TEXT.notLinked, 403);
      case 'no_coordinates':
        throw new AppError('no_coordinates', `village ${body.villageId} has no coordinates`, TEXT.noCoordinates(placeName(r.village.fullName)), 422);
      case 'too_far':
        throw new AppError('too_far', `check-in ${r.village.distanceM} m from village ${r.village.id}`,
          TEXT.tooFar(r.village.name, r.village.distanceM!, r.village.radiusM), 422);
      case 'duplicate':
        ctx.body = { kind: r.kind, visitId: r.result.visit.id, message: TEXT.duplicate(placeName(r.village.fullName)) };
        return;
      case 'recorded':
        ctx.body = {
          kind: r.kind, visitId: r.result.visit.id, distanceM: r.village.distanceM,
          message: TEXT.recorded(placeName(r.village.fullName), r.village.distanceM!, formatShanghai(now)),
        };
    }
  });
}
