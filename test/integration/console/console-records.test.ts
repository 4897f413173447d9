import { seedConsole } from '../../support/scenarios/console';
import { useConsoleApp } from '../../support/console-app';
import { buildMustVisit, buildVisit } from '../../support/factories';
import { recordHelpAct } from '../../../src/services/aid/help-acts';

/**
 * The record pages of a village, unit, cadre and household
 * (/console/api/records/…): header facts and each list against hand-built
 * rows, newest first, paged, cut to the period; 403 outside the viewer's
 * scope, 404 for what does not exist; a cadre sees their own page and standing only.
 */

const NOW = new Date('2026-11-24T12:00:00+08:00');
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
let ids: Record<string, number>;
const suite = useConsoleApp((t) => seedConsole(t.db, NOW), {
  now: NOW,
  setup: async ({ t, seed }) => {
    ids = seed.ids;
    const diary = (cadreId: number, villageId: number, content: string, at: Date) => t.db.query(
      'INSERT INTO diary_entries (cadre_id, village_id, content, created_at) VALUES ($1, $2, $3, $4)', [cadreId, villageId, content, at]);
    await diary(ids.zhangsan, ids.dingmen, '村里新修了水窖，群众很满意', ago(3));
    await diary(ids.zhangsan, ids.dingmen, '去年冬天的日记', ago(400));
    await diary(ids.lisi, ids.xiping, '西坪村的日记', ago(4));
    // a stored photo of 张三's latest check-in at 丁门村
    const [visit] = await t.db.query('SELECT id FROM visits WHERE cadre_id = $1 ORDER BY started_at DESC LIMIT 1', [ids.zhangsan]);
    await t.db.query(
      `INSERT INTO photos (cadre_id, media_id, status, sha256, kind, visit_id, created_at, storage_key, content_type)
       VALUES ($1, 'm1', 'stored', repeat('a', 64), 'visit', $2, $3, 'k1', 'image/jpeg')`, [ids.zhangsan, visit.id, ago(2)]);
    await t.db.transaction((m) => recordHelpAct(m, {
      cadreId: ids.zhangsan, household: { id: ids.hZhang, villageId: ids.dingmen }, kind: '送资金', note: '2000元 产业补助', amountYuan: 2000, now: ago(6) }));
    await buildVisit(t.db, { cadreId: ids.zhangsan, villageId: ids.dingmen, startedAt: ago(30), endedAt: ago(30), revokedAt: ago(29) });
    await t.db.query(`UPDATE households SET poverty_cause = '因病', aid_status = '未脱贫' WHERE id = $1`, [ids.hZhang]);
    await buildMustVisit(t.db, { householdId: ids.hZhang, reporterId: ids.wsLeader, cadreId: ids.zhangsan, kind: '生病住院', reportedAt: ago(1), dueAt: ago(-2) });
  },
});

const { get } = suite;
const list = async (path: string, cadreId = ids.wsLeader) => {
  const res = await get(path, cadreId);
  expect(res.status).toBe(200);
  return res.body as { total: number; rows: Record<string, unknown>[] };
};

test('a village page: its unit, cadres, households and coverage, then its records newest first', async () => {
  const res = await get(`/console/api/records/village/${ids.dingmen}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    kind: 'village', name: '丁门村', place: '天水市武山县鸳鸯镇丁门村', isPoor: true,
    units: [{ id: ids.finance, name: '武山县财政局', since: '2026-01-01' }],
    cadres: [{ id: ids.zhangsan, name: '张三', role: '干部', unit: '武山县财政局' }],
    households: 2, covered: 1, unitLinkedSince: '2026-01-01',
    lists: ['visits', 'householdVisits', 'diary', 'problems', 'photos', 'help'],
  });

  const visits = await list(`/console/api/records/village/${ids.dingmen}/visits`);
  expect(visits.total).toBe(4); // the undone check-in is left out
  expect(visits.rows.map((r) => new Date(r.at as string).getTime())).toEqual([2, 5, 12, 20].map((d) => ago(d).getTime() - 6 * 3600e3));
  expect(visits.rows[0]).toMatchObject({ cadre: '张三', cadreId: ids.zhangsan, unit: '武山县财政局', durationMinutes: 240, photos: 1, place: '天水市武山县鸳鸯镇丁门村' });

  const hv = await list(`/console/api/records/village/${ids.dingmen}/householdVisits`);
  expect(hv.rows.map((r) => [r.householder, r.note, r.talk])).toEqual([['张大爷', '送去慰问品', false], ['张大爷', '了解春耕准备', true]]);
  const diary = await list(`/console/api/records/village/${ids.dingmen}/diary`);
  expect(diary.rows.map((r) => [r.cadre, r.content])).toEqual([['张三', '村里新修了水窖，群众很满意']]); // last year's is outside 2026
  const problems = await list(`/console/api/records/village/${ids.dingmen}/problems`);
  expect(problems.rows.map((r) => r.code).sort()).toEqual(['W2026-0001', 'W2026-0003']);
  const photos = await list(`/console/api/records/village/${ids.dingmen}/photos`);
  expect(photos.rows).toEqual([expect.objectContaining({ cadre: '张三', kind: 'visit', url: `/photos/${photos.rows[0].id}`, thumbUrl: `/photos/${photos.rows[0].id}/thumb` })]);
  const help = await list(`/console/api/records/village/${ids.dingmen}/help`);
  expect(help.rows).toEqual([expect.objectContaining({ kind: '送资金', amountYuan: 2000, householder: '张大爷', cadre: '张三' })]);
});

test('the period (from, to) cuts every list, and lists page by 50 or the size asked', async () => {
  const from = new Date(ago(6).getTime() + 8 * 3600e3).toISOString().slice(0, 10);
  const visits = await list(`/console/api/records/village/${ids.dingmen}/visits?from=${from}&to=2026-11-24`);
  expect(visits.total).toBe(2);
  const help = await list(`/console/api/records/village/${ids.dingmen}/help?from=2026-11-18&to=2026-11-18`);
  expect(help.total).toBe(1);
  expect((await list(`/console/api/records/village/${ids.dingmen}/help?from=2026-11-19&to=2026-11-24`)).total).toBe(0);
  const page2 = await list(`/console/api/records/village/${ids.dingmen}/visits?size=3&page=2`);
  expect(page2).toMatchObject({ total: 4 });
  expect(page2.rows).toHaveLength(1);
  expect(new Date(page2.rows[0].at as string).getTime()).toBe(ago(20).getTime() - 6 * 3600e3);
  expect((await get(`/console/api/records/village/${ids.dingmen}/visits?from=2026-02-30`)).status).toBe(400);
  expect((await get(`/console/api/records/village/${ids.dingmen}/nothing`)).status).toBe(400);
});

test('a unit page, a cadre page with standing, and a household page', async () => {
  const unit = await get(`/console/api/records/unit/${ids.finance}`);
  expect(unit.body).toMatchObject({
    kind: 'unit', name: '武山县财政局', villages: [{ id: ids.dingmen, place: '天水市武山县鸳鸯镇丁门村', since: '2026-01-01' }],
    cadres: [{ id: ids.zhangsan, name: '张三', role: '干部', mobile: '13800000000' }], cadreCount: 1, households: 1,
  });
  expect((await list(`/console/api/records/unit/${ids.finance}/visits`)).total).toBe(4);
  expect((await list(`/console/api/records/unit/${ids.finance}/diary`)).total).toBe(1);
  expect((await list(`/console/api/records/unit/${ids.finance}/problems`)).total).toBe(2);
  expect((await list(`/console/api/records/unit/${ids.education}/householdVisits`)).total).toBe(0);

  const cadre = await get(`/console/api/records/cadre/${ids.zhangsan}`);
  expect(cadre.body).toMatchObject({
    kind: 'cadre', name: '张三', role: '干部', mobile: '13800000000', unit: { id: ids.finance, name: '武山县财政局' },
    residentVillage: null, villages: [{ id: ids.dingmen }], households: [{ id: ids.hZhang, name: '张大爷', place: '天水市武山县鸳鸯镇丁门村' }], householdCount: 1,
  });
  expect((await list(`/console/api/records/cadre/${ids.zhangsan}/householdVisits`)).total).toBe(2);
  expect((await list(`/console/api/records/cadre/${ids.lisi}/diary`)).rows.map((r) => r.content)).toEqual(['西坪村的日记']);
  const standing = await get(`/console/api/records/cadre/${ids.zhangsan}/standing`);
  expect(standing.status).toBe(200);
  expect(standing.body.villages).toEqual([expect.objectContaining({ villageName: '丁门村', visits: 4 })]);
  expect(standing.body.households).toEqual([expect.objectContaining({ householder: '张大爷', visits: 2, talks: 1 })]);
  expect(standing.body.help).toMatchObject({ acts: 1, amountYuan: 2000 });
  expect(standing.body.mustVisits).toEqual([{ householder: '张大爷', kind: '生病住院', dueAt: ago(-2).toISOString() }]);
  expect(standing.body.fiveHundreds).toBeNull(); // the rule set is off

  const household = await get(`/console/api/records/household/${ids.hZhang}`);
  expect(household.body).toMatchObject({
    kind: 'household', name: '张大爷', category: '贫困户', size: 4, povertyCause: '因病', aidStatus: '未脱贫',
    village: { id: ids.dingmen, place: '天水市武山县鸳鸯镇丁门村' }, cadres: [{ id: ids.zhangsan, name: '张三', unit: '武山县财政局' }],
    lists: ['householdVisits', 'photos', 'help'],
  });
  expect((await list(`/console/api/records/household/${ids.hZhang}/householdVisits`)).total).toBe(2);
  expect((await list(`/console/api/records/household/${ids.hZhang}/help`)).total).toBe(1);
  expect((await list(`/console/api/records/household/${ids.hZhang}/visits`)).total).toBe(0);
});

test('outside the viewer\'s scope is 403, a missing subject 404; a cadre sees their own page only', async () => {
  for (const path of [`village/${ids.dingmen}`, `unit/${ids.finance}`, `cadre/${ids.zhangsan}`, `household/${ids.hZhang}`, `village/${ids.dingmen}/visits`]) {
    const res = await get(`/console/api/records/${path}`, ids.ggLeader);
    expect([path, res.status]).toEqual([path, 403]);
    expect(res.body.message).toBe('该记录不在您的管辖范围内。');
  }
  expect((await get(`/console/api/records/village/${ids.chengguan}`)).status).toBe(403);
  expect((await get(`/console/api/records/village/${ids.chengguan}`, ids.ggLeader)).status).toBe(200);
  expect((await get(`/console/api/records/village/${ids.chengguan}`, ids.admin)).status).toBe(200);
  expect((await get('/console/api/records/village/999999')).status).toBe(404);
  expect((await get(`/console/api/records/village/${ids.yuanyang}`)).status).toBe(404); // a township is no village
  expect((await get('/console/api/records/town/1')).status).toBe(400);

  expect((await get(`/console/api/records/cadre/${ids.zhangsan}`, ids.zhangsan)).status).toBe(200);
  expect((await get(`/console/api/records/cadre/${ids.zhangsan}/visits`, ids.zhangsan)).status).toBe(200);
  expect((await get(`/console/api/records/cadre/${ids.zhangsan}/standing`, ids.zhangsan)).status).toBe(200);
  expect((await get(`/console/api/records/cadre/${ids.lisi}`, ids.zhangsan)).status).toBe(403);
  expect((await get(`/console/api/records/village/${ids.dingmen}`, ids.zhangsan)).status).toBe(403);
  expect((await get(`/console/api/records/cadre/${ids.wangwu}/standing`)).status).toBe(403);
});
