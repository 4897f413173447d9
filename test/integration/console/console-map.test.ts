import request from 'supertest';
import { insideRing, type Point } from '../../../src/lib/outline';
import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp } from '../../support/console-app';
import { buildUnitVillageLink, buildVillage, buildVisit } from '../../support/factories';

/**
 * GET /console/api/map: the scope's villages coloured by whether a linked unit
 * checked in within the range (default this week), the county boundaries
 * shipped with the app, and township outlines derived from the villages.
 */

// A Thursday: this week is Monday 23 to Thursday 26 November 2026.
const NOW = new Date('2026-11-26T12:00:00+08:00');
const at = (iso: string) => new Date(`${iso}+08:00`);
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), {
  now: NOW,
  setup: async ({ t, seed }) => {
    const { ids } = seed;
    // 王门村: linked to 武山县教育局 only from Wednesday 25 November; 李四 (of that unit) checks in that day.
    await buildUnitVillageLink(t.db, { unitId: ids.education, villageId: ids.wangmen, validFrom: '2026-11-25' });
    await buildVisit(t.db, { cadreId: ids.lisi, villageId: ids.wangmen, startedAt: at('2026-11-25T09:00:00'), endedAt: at('2026-11-25T11:00:00') });
    // 西坪村 on 18 November: 张三 of 武山县财政局, which is not linked to 西坪村, does not count for it.
    await buildVisit(t.db, { cadreId: ids.zhangsan, villageId: ids.xiping, startedAt: at('2026-11-18T09:00:00'), endedAt: at('2026-11-18T10:00:00') });
    // a revoked check-in of the linked unit on 17 November counts for nothing either
    await buildVisit(t.db, {
      cadreId: ids.lisi, villageId: ids.xiping, startedAt: at('2026-11-17T09:00:00'), endedAt: at('2026-11-17T10:00:00'), revokedAt: at('2026-11-17T10:05:00'),
    });
    // a village the roster gives no coordinates
    ids.nowhere = (await buildVillage(t.db, { townId: ids.luomen, name: '无坐标村' })).id;
  },
});

const { get } = suite;

const statuses = (body: { villages: { name: string; status: string }[] }) =>
  Object.fromEntries(body.villages.map((v) => [v.name, v.status]));

test('this week by default: checked in by a linked unit, linked but not checked in, not linked', async () => {
  const res = await get(`/console/api/map?scope=${suite.seed.ids.wushan}`).expect(200);
  expect(res.body).toMatchObject({ from: '2026-11-23', to: '2026-11-26', unplaced: 1 });
  // 丁门村: 张三 of the linked 财政局 on Tuesday 24th; 西坪村: 李四 of the linked 教育局 on Monday 23rd; 王门村: 李四 on the 25th
  expect(statuses(res.body)).toEqual({ 丁门村: 'checked', 王门村: 'checked', 西坪村: 'checked' });
  expect(res.body.counts).toEqual({ checked: 3, idle: 0, unlinked: 0 });
  expect(res.body.villages.find((v: { name: string }) => v.name === '丁门村')).toEqual({
    id: suite.seed.ids.dingmen, name: '丁门村', townshipId: suite.seed.ids.yuanyang, lat: suite.seed.dingmen.latitude, lng: suite.seed.dingmen.longitude, status: 'checked',
  });
});

test('another range: check-ins outside it, by an unlinked unit or revoked do not count; a link starting after it is no link', async () => {
  const res = await get(`/console/api/map?scope=${suite.seed.ids.wushan}&from=2026-11-15&to=2026-11-20`).expect(200);
  expect(res.body).toMatchObject({ from: '2026-11-15', to: '2026-11-20' });
  // 丁门村's check-ins fell on the 6th, 14th, 21st and 24th
  expect(statuses(res.body)).toEqual({ 丁门村: 'idle', 王门村: 'unlinked', 西坪村: 'idle' });
  expect(res.body.counts).toEqual({ checked: 0, idle: 2, unlinked: 1 });
  // the 14th is in this one
  const earlier = await get(`/console/api/map?scope=${suite.seed.ids.yuanyang}&from=2026-11-10&to=2026-11-14`).expect(200);
  expect(statuses(earlier.body)).toEqual({ 丁门村: 'checked', 王门村: 'unlinked' });
});

test('the county\'s shipped boundary, and township outlines that hold their own villages and stay inside the county', async () => {
  const res = await get(`/console/api/map?scope=${suite.seed.ids.wushan}`).expect(200);
  expect(res.body.counties.map((c: { id: number; name: string; adcode: string }) => [c.id, c.name, c.adcode])).toEqual([[suite.seed.ids.wushan, '武山县', '620524']]);
  const county = res.body.counties[0].geometry;
  const countyRing: Point[] = county.type === 'Polygon' ? county.coordinates[0] : county.coordinates[0][0];
  const townships = res.body.townships as { id: number; name: string; geometry: { type: string; coordinates: Point[][] } }[];
  expect(townships.map((x) => x.name).sort()).toEqual(['洛门镇', '鸳鸯镇']);
  for (const town of townships) {
    expect(town.geometry.type).toBe('Polygon');
    const ring = town.geometry.coordinates[0];
    const own = res.body.villages.filter((v: { townshipId: number }) => v.townshipId === town.id);
    expect(own.length).toBeGreaterThan(0);
    for (const v of own) expect(insideRing([v.lng, v.lat], ring)).toBe(true);
    // a township outline is cut to its county: none of its corners lies outside 武山县 (beyond rounding)
    for (const p of ring) expect(insideRing(p, countyRing) || nearRing(p, countyRing)).toBe(true);
  }
  // 鸳鸯镇's outline does not hold 洛门镇's 西坪村
  const yuanyang = townships.find((x) => x.name === '鸳鸯镇')!;
  const xiping = res.body.villages.find((v: { name: string }) => v.name === '西坪村');
  expect(insideRing([xiping.lng, xiping.lat], yuanyang.geometry.coordinates[0])).toBe(false);
});

test('a city scope draws its counties; a township scope its county and itself', async () => {
  const city = await get(`/console/api/map?scope=${suite.seed.ids.tianshui}`, suite.seed.ids.admin).expect(200);
  expect(city.body.counties.map((c: { name: string }) => c.name).sort()).toEqual(['武山县', '甘谷县']);
  expect(statuses(city.body)).toMatchObject({ 城关村: 'idle', 丁门村: 'checked' });
  const town = await get(`/console/api/map?scope=${suite.seed.ids.yuanyang}`).expect(200);
  expect(town.body.counties.map((c: { name: string }) => c.name)).toEqual(['武山县']);
  expect(town.body.townships.map((c: { name: string }) => c.name)).toEqual(['鸳鸯镇']);
});

test('by pace: a village whose linked unit is behind this year\'s pace, one on pace, none linked today', async () => {
  const res = await get(`/console/api/map?scope=${suite.seed.ids.wushan}&by=pace`).expect(200);
  // village.days_per_year 30: by 26 November a link since 1 January owes 27 days, one since the 25th none
  expect(statuses(res.body)).toEqual({ 丁门村: 'behind', 王门村: 'onPace', 西坪村: 'behind' });
  expect(res.body.counts).toEqual({ onPace: 1, behind: 2, unlinked: 0 });
  const gangu = await get(`/console/api/map?scope=${suite.seed.ids.tianshui}&by=pace`, suite.seed.ids.admin).expect(200);
  expect(statuses(gangu.body)).toMatchObject({ 城关村: 'behind' });
  await suite.t.db.query('UPDATE unit_village_links SET valid_to = $1 WHERE village_id = $2', ['2026-11-26', suite.seed.ids.wangmen]);
  const ended = await get(`/console/api/map?scope=${suite.seed.ids.yuanyang}&by=pace`).expect(200);
  expect(statuses(ended.body)).toEqual({ 丁门村: 'behind', 王门村: 'unlinked' });
  await get(`/console/api/map?scope=${suite.seed.ids.wushan}&by=speed`).expect(400);
});

test('outside the viewer\'s scope is a 403; bad dates a 400 in Chinese; no session a 401', async () => {
  const other = await get(`/console/api/map?scope=${suite.seed.ids.gangu}`).expect(403);
  expect(other.body.message).toBe('该范围不在您的管辖范围内。');
  await get(`/console/api/map?scope=${suite.seed.ids.chengguan}`).expect(403);
  await get(`/console/api/map?scope=${suite.seed.ids.wushan}`, suite.seed.ids.zhangsan).expect(403);
  const reversed = await get(`/console/api/map?scope=${suite.seed.ids.wushan}&from=2026-11-20&to=2026-11-10`).expect(400);
  expect(reversed.body.message).toBe('开始日期不能晚于结束日期。');
  await get(`/console/api/map?scope=${suite.seed.ids.wushan}&from=2026-02-30`).expect(400);
  await get('/console/api/map?scope=abc').expect(400);
  await request(suite.app.callback()).get('/console/api/map').expect(401);
});

/** Within about 50 m of the ring's edge (a cut point lies on the boundary itself). */
function nearRing([x, y]: Point, ring: Point[]): boolean {
  const eps = 0.0005;
  return ring.some((a, i) => {
    const b = ring[(i + 1) % ring.length];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy || 1e-18;
    const s = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
    return Math.hypot(a[0] + s * dx - x, a[1] + s * dy - y) < eps;
  });
}
