import Koa from 'koa';
import Router from '@koa/router';
import request from 'supertest';
import { Redis } from 'ioredis';
import { registerAdminRoutes } from '../../../src/routes/admin';
import type { AppDeps } from '../../../src/app';

let redis: Redis;
let app: Koa;
const TOKEN = 'test-admin-token-123';

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  app = new Koa();
  const router = new Router();
  registerAdminRoutes(router, { config: { adminToken: TOKEN }, redis } as unknown as AppDeps);
  app.use(router.routes());
});
afterAll(() => redis.disconnect());

it('refuses the dashboard without the admin token', async () => {
  expect((await request(app.callback()).get('/admin/queues/')).status).toBe(401);
  expect((await request(app.callback()).get('/admin/queues/').set('Authorization', 'Bearer wrong')).status).toBe(401);
  expect((await request(app.callback()).get('/admin/queues/api/queues?token=wrong')).status).toBe(401);
});

it('serves bull-board to a bearer token, listing every queue', async () => {
  const res = await request(app.callback()).get('/admin/queues/api/queues').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['jobs', 'outbox', 'photos']);
});

it('turns ?token= into a cookie for the browser', async () => {
  const agent = request.agent(app.callback());
  const first = await agent.get(`/admin/queues?token=${TOKEN}`);
  expect(first.status).toBe(302);
  expect(first.headers['set-cookie'][0]).toMatch(/^sl_admin=[0-9a-f]{64}; path=\/admin; samesite=strict; httponly/);
  expect(first.headers['set-cookie'][0]).not.toContain(TOKEN);
  const page = await agent.get('/admin/queues/');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<html');
});
