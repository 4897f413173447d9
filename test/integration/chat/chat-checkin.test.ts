import { at, useChat } from '../../support/chat-harness';

const chat = useChat();

const visits = async (cadreId: number) => chat.tdb.db.query(
  'SELECT village_id, started_at, ended_at, duration_minutes, verified, distance_m, source, revoked_at FROM visits WHERE cadre_id = $1 ORDER BY id',
  [cadreId],
);

describe('签到 / 签退', () => {
  it('checks in with the full path, the Shanghai time and the unit count against the rule', async () => {
    const reply = await chat.say('zhangwei', '签到 丁门村', at('2026-11-23 09:05'));
    expect(reply).toBe([
      '已签到：天水市武山县鸳鸯镇丁门村',
      '时间：11月23日 09:05',
      '本单位今年第1次进村，累计1天，年度要求≥4次/≥30天。',
      '发送位置（＋ → 位置）可核验签到；离村时发送“签退”。',
    ].join('\n'));
    const rows = await visits(chat.seeded.cadres.zhang);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ village_id: chat.seeded.regions.dingmen, ended_at: null, source: 'chat' });
  });

  it('reports a repeated check-in at the same village instead of recording it twice', async () => {
    const reply = await chat.say('zhangwei', '打卡：丁门', at('2026-11-23 09:20'));
    expect(reply).toBe('您已于11月23日 09:05在天水市武山县鸳鸯镇丁门村签到，无需重复签到。离村时请发送“签退”。');
    expect(await visits(chat.seeded.cadres.zhang)).toHaveLength(1);
  });

  it('closes the open visit with its duration on 签退 and counts the days', async () => {
    const reply = await chat.say('zhangwei', '签退', at('2026-11-23 11:20'));
    expect(reply).toBe([
      '已签退：天水市武山县鸳鸯镇丁门村',
      '签到11月23日 09:05，签退11月23日 11:20，停留2小时15分钟。',
      '本单位今年第1次进村，累计1天，年度要求≥4次/≥30天。',
    ].join('\n'));
    expect((await visits(chat.seeded.cadres.zhang))[0]).toMatchObject({ duration_minutes: 135 });
    expect(await chat.say('zhangwei', '离村', at('2026-11-23 11:25'))).toBe('您当前没有未签退的签到。到村时请发送“签到 村名”。');
  });

  it('counts the unit: a colleague checking in the next day is visit 2, day 2', async () => {
    const reply = await chat.say('zhaoqiang', '簽到丁門村', at('2026-11-24 08:30'));
    expect(reply).toContain('本单位今年第2次进村，累计2天');
    // 队长 is a team member: own days on site against 220
    expect(reply).toContain('您今年累计到村1天，年度要求≥220天。');
  });

  it('auto-closes an open visit elsewhere and says so', async () => {
    await chat.say('liming', '签到 西坪村', at('2026-11-23 08:00'));
    const reply = await chat.say('liming', '到村 王门', at('2026-11-23 10:30'));
    expect(reply).toContain('已签到：天水市武山县鸳鸯镇王门村');
    expect(reply).toContain('（已自动为您签退天水市武山县洛门镇西坪村，停留2小时30分钟）');
    const rows = await visits(chat.seeded.cadres.li);
    expect(rows.map((r: { ended_at: Date | null }) => r.ended_at !== null)).toEqual([true, false]);
    await chat.say('liming', '签退', at('2026-11-23 12:00'));
  });

  it('says what was wrong with bad input and shows the form', async () => {
    expect(await chat.say('zhangwei', '签到', at('2026-11-23 12:00'))).toBe('请输入村名。正确格式：签到 村名');
    const none = await chat.say('zhangwei', '签到 丁们村', at('2026-11-23 12:00'));
    expect(none).toBe('未找到村“丁们村”。您是不是要找：丁门村（武山县鸳鸯镇）？');
    expect(await chat.say('zhangwei', '签到 火星村', at('2026-11-23 12:00')))
      .toBe('未找到村“火星村”。请核对村名，或在村名前加上乡镇名，例如：鸳鸯镇丁门村。');
  });
});

describe('fuzzy village names', () => {
  it.each([
    ['签到 dm', '丁门村'],
    ['签到 鸳鸯镇王门村', '鸳鸯镇王门村'],
    ['签到 甘谷县王门', '甘谷县大像山镇王门村'],
    ['签到 蔡家', '蔡家沟村'],
    ['签到 东', '榆中县甘草店镇东村'],
    ['签到 天水市/武山县/洛门镇/西坪村', '洛门镇西坪村'],
  ])('%s → %s', async (text, path) => {
    const reply = await chat.say('admin01', text, at('2026-11-25 09:00'));
    expect(reply).toContain(path);
    await chat.say('admin01', '撤销', at('2026-11-25 09:01'));
  });

  it('asks with a numbered list when a name is ambiguous and takes the number as the next message', async () => {
    const list = await chat.say('zhangwei', '签到 王门', at('2026-11-25 09:00'));
    expect(list).toBe([
      '“王门”对应多个村，请回复序号选择：',
      '1. 王门村（武山县鸳鸯镇）',
      '2. 王门村（甘谷县大像山镇）',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await chat.say('zhangwei', '3', at('2026-11-25 09:01'))).toBe('请回复1到2之间的序号。');
    const picked = await chat.say('zhangwei', '２', at('2026-11-25 09:01'));
    expect(picked).toContain('已签到：天水市甘谷县大像山镇王门村');
    expect(picked).toContain('（该村不是您单位的联系村）');
    expect(await chat.say('zhangwei', '1', at('2026-11-25 09:02'))).toBe('没有待选择的列表。发送“帮助”查看全部指令。');
    await chat.say('zhangwei', '撤销', at('2026-11-25 09:03'));
  });

  it('prefers the sender\'s linked village among namesakes', async () => {
    const reply = await chat.say('sunli', '签到 王门村', at('2026-11-25 10:00'));
    expect(reply).toContain('已签到：天水市甘谷县大像山镇王门村');
    await chat.say('sunli', '撤销', at('2026-11-25 10:01'));
  });
});

describe('location messages', () => {
  const loc = (userid: string, latitude: number, longitude: number, when: string) =>
    chat.send({ msgType: 'location', fromUser: userid, latitude, longitude, label: '' }, at(when));

  it('checks in at the nearest linked village inside its radius, verified, with the distance', async () => {
    const reply = await loc('zhangwei', 34.7250, 104.8950, '2026-11-26 09:00');
    expect(reply).toMatch(/^已按位置签到：天水市武山县鸳鸯镇丁门村\n时间：11月26日 09:00\n距村中心\d+米，位置已核验。/);
    const last = (await visits(chat.seeded.cadres.zhang)).pop();
    expect(last).toMatchObject({ verified: true, source: 'location', village_id: chat.seeded.regions.dingmen });
    expect(last.distance_m).toBeGreaterThan(400);
    expect(last.distance_m).toBeLessThan(700);
  });

  it('attaches a later location to the open check-in and says plainly when it is too far', async () => {
    const reply = await loc('zhangwei', 34.60, 104.89, '2026-11-26 09:30');
    expect(reply).toBe('已为您在天水市武山县鸳鸯镇丁门村的签到附上位置：距村中心13.4公里，超出3公里范围，本次签到未核验。');
    expect((await visits(chat.seeded.cadres.zhang)).pop()).toMatchObject({ verified: false, distance_m: 13411 });
    await chat.say('zhangwei', '签退', at('2026-11-26 10:00'));
  });

  it('does not check in when every linked village is out of range', async () => {
    const before = (await visits(chat.seeded.cadres.zhang)).length;
    const reply = await loc('zhangwei', 36.0, 103.8, '2026-11-26 11:00');
    expect(reply).toMatch(/^您离最近的联系村天水市武山县鸳鸯镇丁门村有\d+\.\d公里，超出3公里范围，未签到。/);
    expect(await visits(chat.seeded.cadres.zhang)).toHaveLength(before);
  });
});

describe('hostile input', () => {
  it('answers a 10,000-character village name quickly, quoting only the start', async () => {
    const started = Date.now();
    const reply = await chat.say('zhangwei', `签到 ${'丁门'.repeat(5000)}`, at('2026-11-27 09:00'));
    expect(reply).toBe(`未找到村“${'丁门'.repeat(10)}…”。请核对村名，或在村名前加上乡镇名，例如：鸳鸯镇丁门村。`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers a message of emoji and control characters only', async () => {
    expect(await chat.say('zhangwei', '😀\u0000\u200b🎉', at('2026-11-27 09:00')))
      .toBe('请发送文字指令，例如：签到 丁门村。发送“帮助”查看全部指令。');
  });
});

describe('Redis outage', () => {
  it('still records commands when the conversation store is unreachable', async () => {
    const Redis = (await import('ioredis')).default;
    const pino = (await import('pino')).default;
    const { createBot } = await import('../../../bots');
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const bot = createBot({ redis: dead, logger: pino({ level: 'silent' }), keyPrefix: 'dead:' });
    const reply = await chat.tdb.db.transaction((manager) => bot.handle(
      { inboundId: 9001, msgType: 'text', fromUser: 'sunli', createTime: 0, content: '日记 断网也能记' }, { manager, now: at('2026-11-28 09:00') }));
    expect(reply?.text).toMatch(/^已记录民情日记/);
    const list = await chat.tdb.db.transaction((manager) => bot.handle(
      { inboundId: 9002, msgType: 'text', fromUser: 'admin01', createTime: 0, content: '签到 王门' }, { manager, now: at('2026-11-28 09:05') }));
    expect(list?.text).toContain('2. 王门村（甘谷县大像山镇）');
    dead.disconnect();
  });
});

// Last in the file: it adds a visit that earlier tests' running counts must not see.
describe('concurrency', () => {
  it('two check-ins from one cadre at the same moment record one visit and answer both', async () => {
    await chat.say('zhaoqiang', '签退', at('2026-12-29 18:00'));
    const when = at('2026-12-30 08:00');
    const replies = await Promise.all([
      chat.say('zhaoqiang', '签到 丁门村', when),
      chat.say('zhaoqiang', '签到 丁门村', when),
    ]);
    const rows = await visits(chat.seeded.cadres.zhao);
    expect(rows.filter((r: { started_at: Date }) => r.started_at.getTime() === when.getTime())).toHaveLength(1);
    expect(replies.filter((r) => r?.startsWith('已签到'))).toHaveLength(1);
    expect(replies.filter((r) => r?.includes('无需重复签到'))).toHaveLength(1);
  });
});
