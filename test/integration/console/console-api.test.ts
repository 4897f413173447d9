import { createHash } from 'node:crypto';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp, consoleApp, sessionCookie, WECOM_ENV } from '../../support/console-app';
import { OAUTH_COOKIE, SESSION_COOKIE } from '../../../src/auth/session';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/lib/logger';
import { createWecomClient, type WecomClient } from '../../../src/wecom/client';
import { startSimulator, type RunningSimulator } from '../../../src/demo/simulator';
import { testPrefix } from '../../support/db';
import { REDIS_URL } from '../../support/urls';

const suite = useConsoleApp((t) => seedConsole(t.db));

const { as, get } = suite;
/** The OAuth state cookie a login's 302 set, as the browser sends it back to /console/oauth. */
const stateCookie = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${OAUTH_COOKIE}=`))!.split(';')[0];

describe('login', () => {
  test('demo mode: /console without a session goes to the demo login page, which lists roster people', async () => {
    const res = await request(suite.app.callback()).get('/console');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/console/login?to=c');
    const page = await request(suite.app.callback()).get('/console/login?to=c');
    expect(page.text).toContain('王县长');
    expect(page.text).not.toContain('退休人员');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  test('demo login sets an httpOnly SameSite=Lax cookie that opens the console; inactive people are refused', async () => {
    const res = await request(suite.app.callback()).post('/console/login').type('form').send({ userid: 'ws_leader', to: 'c' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/console');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`${SESSION_COOKIE}=[^;]+;.*httponly`, 'i'));
    expect(cookie).toMatch(/samesite=lax/i);
    const page = await request(suite.app.callback()).get('/console').set('Cookie', cookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('双联助手');
    const refused = await request(suite.app.callback()).post('/console/login').type('form').send({ userid: 'retired', to: 'c' });
    expect(refused.status).toBe(403);
  });

  test('a tampered cookie is no session', async () => {
    const cookie = sessionCookie(suite.deps, suite.seed.ids.wsLeader).replace(/\.(\d+)\./, (_m, exp) => `.${Number(exp) + 1}.`);
    const res = await request(suite.app.callback()).get('/console/api/me').set('Cookie', cookie);
    expect(res.status).toBe(401);
  });

  describe('with WeCom credentials (the simulator over HTTP)', () => {
    let prod: ReturnType<typeof consoleApp>;
    let sim: RunningSimulator;
    let redis: Redis;
    let wecom: WecomClient;
    beforeAll(async () => {
      sim = await startSimulator({ creds: { corpId: WECOM_ENV.WECOM_CORP_ID, secret: WECOM_ENV.WECOM_SECRET, agentId: 1000002 } });
      const env = { ...WECOM_ENV, WECOM_API_BASE: sim.url };
      redis = new Redis(REDIS_URL);
      wecom = createWecomClient({ config: loadConfig(env).wecom, redis, logger: createLogger('silent'), keyPrefix: testPrefix() });
      prod = consoleApp(suite.t, { env, wecom });
      sim.state.oauthCodes.set('good', 'WS_LEADER'); // WeCom answers userids lower- or upper-cased
      sim.state.oauthCodes.set('bad', 'nobody');
    });
    afterAll(async () => {
      prod.close();
      redis.disconnect();
      await sim.close();
    });

    test('unauthenticated /console is a 302 to the OAuth authorize URL with a signed state', async () => {
      const res = await request(prod.app.callback()).get('/console');
      expect(res.status).toBe(302);
      const url = new URL(res.headers.location);
      expect(`${url.origin}${url.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
      expect(url.hash).toBe('#wechat_redirect');
      expect(url.searchParams.get('appid')).toBe(WECOM_ENV.WECOM_CORP_ID);
      expect(url.searchParams.get('redirect_uri')).toBe('https://sl.example.gov.cn/console/oauth');
      expect(url.searchParams.get('scope')).toBe('snsapi_base');
      expect(url.searchParams.get('agentid')).toBe('1000002');
      expect(url.searchParams.get('response_type')).toBe('code');
      expect(res.headers.location.indexOf('appid=')).toBeLessThan(res.headers.location.indexOf('redirect_uri='));
      const state = url.searchParams.get('state')!;
      const ok = await request(prod.app.callback()).get(`/console/oauth?code=good&state=${encodeURIComponent(state)}`).set('Cookie', stateCookie(res));
      expect(ok.status).toBe(302);
      expect(ok.headers.location).toBe('/console');
      expect(String(ok.headers['set-cookie'])).toContain(SESSION_COOKIE);
    });

    test('the H5 page starts the same OAuth, returning to /h5/checkin', async () => {
      const res = await request(prod.app.callback()).get('/h5/checkin');
      expect(res.status).toBe(302);
      const state = new URL(res.headers.location).searchParams.get('state')!;
      sim.state.oauthCodes.set('h5code', 'zhangsan');
      const ok = await request(prod.app.callback()).get(`/console/oauth?code=h5code&state=${encodeURIComponent(state)}`).set('Cookie', stateCookie(res));
      expect(ok.headers.location).toBe('/h5/checkin');
    });

    test('a forged state or a userid not on the roster gets no session', async () => {
      const forged = await request(prod.app.callback()).get('/console/oauth?code=good&state=c.abc.def.xyz');
      expect(forged.status).toBe(400);
      expect(String(forged.headers['set-cookie'])).not.toContain(`${SESSION_COOKIE}=`);
      const start = await request(prod.app.callback()).get('/h5/checkin');
      const state = new URL(start.headers.location).searchParams.get('state')!;
      const stranger = await request(prod.app.callback()).get(`/console/oauth?code=bad&state=${encodeURIComponent(state)}`).set('Cookie', stateCookie(start));
      expect(stranger.status).toBe(403);
      expect(String(stranger.headers['set-cookie'])).not.toContain(`${SESSION_COOKIE}=`);
      // A code used once already (a reload of the callback URL) is refused by WeCom with 40029.
      const again = await request(prod.app.callback()).get('/h5/checkin');
      const fresh = new URL(again.headers.location).searchParams.get('state')!;
      const reused = await request(prod.app.callback()).get(`/console/oauth?code=good&state=${encodeURIComponent(fresh)}`).set('Cookie', stateCookie(again));
      expect(reused.status).toBe(400);
      expect(String(reused.headers['set-cookie'])).not.toContain(`${SESSION_COOKIE}=`);
      expect(sim.state.oauthCodes.size).toBe(0); // every code was spent once
    });

    test('jssdk-config signs the page URL without its #fragment', async () => {
      const res = await request(prod.app.callback())
        .get('/h5/api/jssdk-config?url=' + encodeURIComponent('https://sl.example.gov.cn/h5/checkin#x'))
        .set('Cookie', sessionCookie(prod.deps, suite.seed.ids.zhangsan));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ corpId: WECOM_ENV.WECOM_CORP_ID, agentId: 1000002 });
      const { nonceStr, timestamp, signature } = res.body;
      const ticket = await wecom.getJsapiTicket(); // the cached ticket the route signed with
      expect(signature).toBe(createHash('sha1')
        .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=https://sl.example.gov.cn/h5/checkin`).digest('hex'));
    });
  });
});

describe('scope', () => {
  test('a county leader cannot read another county: 403 from the API', async () => {
    for (const path of [`/console/api/coverage?scope=${suite.seed.ids.gangu}`, `/console/api/problems?scope=${suite.seed.ids.daxiang}`,
      `/console/api/export/ledger.xlsx?scope=${suite.seed.ids.gangu}`, `/console/api/tree?scope=${suite.seed.ids.tianshui}`]) {
      const res = await get(path, 'wsLeader');
      expect([path, res.status]).toEqual([path, 403]);
    }
    const close = await request(suite.app.callback()).post(`/console/api/problems/${suite.seed.ids.pGangu}/close`)
      .set(as('wsLeader')).send({ note: '越权' });
    expect(close.status).toBe(403);
    const still = await suite.t.db.query('SELECT status FROM problems WHERE id = $1', [suite.seed.ids.pGangu]);
    expect(still[0].status).toBe('open');
  });

  test('a plain cadre has no console scope but sees their own records', async () => {
    expect((await get('/console/api/coverage', 'zhangsan')).status).toBe(403);
    const mine = await get('/console/api/mine', 'zhangsan');
    expect(mine.status).toBe(200);
    expect(mine.body.visits).toHaveLength(4);
    // Villages as people write them, never the stored path.
    expect(mine.body.visits[0].village).toBe('天水市武山县鸳鸯镇丁门村');
    expect(mine.body.problems.map((p: { village: string }) => p.village)).toContain('天水市武山县鸳鸯镇丁门村');
    expect(mine.body.problems.map((p: { description: string }) => p.description)).toContain('村道路灯损坏，夜间出行不便');
  });

  test('the admin sees the province tree', async () => {
    const res = await get('/console/api/tree', 'admin');
    expect(res.body.region.name).toBe('甘肃省');
    expect(res.body.children.map((c: { name: string }) => c.name)).toEqual(['天水市']);
  });
});

describe('county leader views', () => {
  test('tree, coverage with gaps, activity and standing', async () => {
    const tree = await get('/console/api/tree', 'wsLeader');
    expect(tree.body.children.map((c: { name: string }) => c.name).sort()).toEqual(['洛门镇', '鸳鸯镇'].sort());
    const cov = await get('/console/api/coverage', 'wsLeader');
    expect(cov.body).toMatchObject({ villages: 3, linkedVillages: 2, households: 3, linkedHouseholds: 2 });
    expect(cov.body.villageGaps.map((g: { fullName: string }) => g.fullName)).toEqual(['甘肃省/天水市/武山县/鸳鸯镇/王门村']);
    expect(cov.body.householdGaps.map((g: { householder: string }) => g.householder)).toEqual(['李大娘']);
    const act = await get('/console/api/activity?bucket=month&from=2000-01-01', 'wsLeader');
    const sum = act.body.points.reduce((s: number, p: { checkins: number }) => s + p.checkins, 0);
    expect(sum).toBe(5);
    const units = await get('/console/api/standing?by=unit', 'wsLeader');
    expect(units.body.rows.map((r: { unitName: string }) => r.unitName).sort()).toEqual(['武山县教育局', '武山县财政局']);
    const cadres = await get('/console/api/standing?by=cadre&sort=name', 'wsLeader');
    expect(cadres.body.rows.map((r: { name: string }) => r.name).sort()).toEqual(['张三', '李四']);
    expect((await get('/console/api/standing?by=nobody', 'wsLeader')).status).toBe(400);
  });

  test('ledger: overdue filter, detail with history, close writes a closed event', async () => {
    const overdue = await get('/console/api/problems?overdue=1', 'wsLeader');
    expect(overdue.body.rows.map((r: { id: number }) => r.id)).toEqual([suite.seed.ids.pOverdue]);
    expect(overdue.body.summary).toMatchObject({ total: 3, closed: 1, overdue: 1 });
    const closed = await request(suite.app.callback()).post(`/console/api/problems/${suite.seed.ids.pOverdue}/close`)
      .set(as('wsLeader')).send({ note: '已更换路灯' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.events.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'closed']);
    const ev = await suite.t.db.query(`SELECT actor_id, note FROM problem_events WHERE problem_id = $1 AND kind = 'closed'`, [suite.seed.ids.pOverdue]);
    expect(ev).toEqual([{ actor_id: suite.seed.ids.wsLeader, note: '已更换路灯' }]);
    const again = await request(suite.app.callback()).post(`/console/api/problems/${suite.seed.ids.pOverdue}/close`)
      .set(as('wsLeader')).send({ note: '重复' });
    expect(again.status).toBe(409);
  });

  test('notices with acknowledgement rate', async () => {
    const res = await get('/console/api/notices', 'wsLeader');
    expect(res.body.rows[0]).toMatchObject({ recipients: 2, acked: 1, ackRate: 0.5, attended: 0 });
    // 李四 checks in at 西坪村 (in the notice's county) after it was sent: attended.
    await suite.t.db.query(`INSERT INTO visits (cadre_id, village_id, started_at, source) SELECT $1, $2, created_at + interval '1 hour', 'chat' FROM notices WHERE id = $3`,
      [suite.seed.ids.lisi, suite.seed.ids.xiping, suite.seed.ids.notice]);
    const after = await get('/console/api/notices', 'wsLeader');
    expect(after.body.rows[0]).toMatchObject({ attended: 1, attendanceRate: 0.5 });
  });

  test('exports read back with exceljs', async () => {
    const res = await get('/console/api/export/visits.xlsx?from=2000-01-01', 'wsLeader').buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.getWorksheet('走访记录表')!;
    expect(ws.getRow(3).values).toEqual(expect.arrayContaining(['序号', '日期', '干部', '单位', '县区', '乡镇', '村', '签到', '签退', '时长', '是否定位核验']));
    const [{ n }] = await suite.t.db.query(
      `SELECT count(*)::int AS n FROM visits v JOIN regions r ON r.id = v.village_id WHERE r.path LIKE $1 AND v.revoked_at IS NULL`,
      [`${(await suite.t.db.query('SELECT path FROM regions WHERE id = $1', [suite.seed.ids.wushan]))[0].path}%`]);
    expect(n).toBeGreaterThanOrEqual(5);
    expect(ws.rowCount).toBe(n + 3); // title, 填报 row, header
    expect(ws.getRow(4).getCell(10).value).toBeDefined();
    expect(wb.getWorksheet('入户走访')!.rowCount).toBe(5);
  });
});

describe('standing counts', () => {
  test('a visit over midnight counts once and for two days; only the linked unit\'s cadres count; the cadre has two more days on site', async () => {
    const unitRow = async () => {
      const res = await get('/console/api/standing?by=unit&sort=name', 'wsLeader');
      return res.body.rows.find((r: { unitName: string }) => r.unitName === '武山县教育局');
    };
    const cadreRow = async () => {
      const res = await get('/console/api/standing?by=cadre&sort=name', 'wsLeader');
      return res.body.rows.find((r: { name: string }) => r.name === '李四');
    };
    const before = await unitRow();
    const cadreBefore = await cadreRow();
    const nowSh = new Date(Date.now() + 8 * 3600e3);
    const year = nowSh.getUTCFullYear();
    const month = nowSh.getUTCMonth() + 1 <= 6 ? '10' : '03';
    // 22:00 to 02:00 Shanghai time, far from the seed's recent visits.
    await suite.t.db.query(
      `INSERT INTO visits (cadre_id, village_id, started_at, ended_at, duration_minutes, source) VALUES
         ($1, $2, $3, $4, 240, 'chat'), ($5, $2, $3, $4, 240, 'chat')`,
      [suite.seed.ids.lisi, suite.seed.ids.xiping, `${year}-${month}-10T14:00:00Z`, `${year}-${month}-10T18:00:00Z`, suite.seed.ids.zhangsan],
    );
    const after = await unitRow();
    expect(after.visits - before.visits).toBe(1);
    expect(after.days - before.days).toBe(2);
    expect((await cadreRow()).daysOnSite - cadreBefore.daysOnSite).toBe(2);
  });
});

describe('H5 check-in API', () => {
  const near = () => ({ latitude: suite.seed.dingmen.latitude + 0.01, longitude: suite.seed.dingmen.longitude });
  test('lists linked villages nearest first, checks in inside the radius once, refuses outside it', async () => {
    const list = await get(`/h5/api/villages?latitude=${near().latitude}&longitude=${near().longitude}`, 'zhangsan');
    expect(list.body.villages.map((v: { name: string }) => v.name)).toEqual(['丁门村']);
    expect(list.body.villages[0].distanceM).toBeGreaterThan(1000);
    expect(list.body.villages[0].inside).toBe(true);
    const post = (body: object) => request(suite.app.callback()).post('/h5/api/checkin').set(as('zhangsan')).send(body);
    const first = await post({ villageId: suite.seed.ids.dingmen, ...near() });
    expect(first.status).toBe(200);
    expect(first.body.kind).toBe('recorded');
    const again = await post({ villageId: suite.seed.ids.dingmen, ...near() });
    expect(again.body.kind).toBe('duplicate');
    expect(again.body.message).toMatch(/^您已在.*丁门村签到，无需重复签到。$/);
    const rows = await suite.t.db.query(`SELECT verified, source, distance_m FROM visits WHERE id = $1`, [first.body.visitId]);
    expect(rows[0]).toMatchObject({ verified: true, source: 'h5' });
    expect(rows[0].distance_m).toBe(list.body.villages[0].distanceM);
    // after 签退, coming back within the duplicate window is a new visit
    await suite.t.db.query('UPDATE visits SET ended_at = started_at, duration_minutes = 0 WHERE id = $1', [first.body.visitId]);
    const back = await post({ villageId: suite.seed.ids.dingmen, ...near() });
    expect(back.body).toMatchObject({ kind: 'recorded' });
    expect(back.body.visitId).not.toBe(first.body.visitId);
    const far = await post({ villageId: suite.seed.ids.dingmen, latitude: suite.seed.dingmen.latitude + 0.05, longitude: suite.seed.dingmen.longitude });
    expect(far.status).toBe(422);
    const bad = await post({ villageId: 'x', latitude: 91, longitude: 0 });
    expect(bad.status).toBe(400);
    expect((await request(suite.app.callback()).post('/h5/api/checkin').send({ villageId: 1, latitude: 1, longitude: 1 })).status).toBe(401);
  });
});
