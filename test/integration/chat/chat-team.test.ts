import { at, useChat } from '../../support/chat-harness';
import { createLogger } from '../../../src/lib/logger';
import { runAutoCheckout } from '../../../jobs/auto-checkout';

/**
 * Time on site as a county lives it (docs/design.md §2): an overnight stay
 * survives the auto-checkout and its night is a resident day, a 签退 after the
 * stay cap counts up to the cap, and a cadre who checks out and comes back
 * gets a new visit. And the team's 第一书记 leads like a 队长.
 */

const chat = useChat();

const autoCheckout = (when: string) => runAutoCheckout({ db: chat.tdb.db, logger: createLogger('silent') }, at(when));
const visits = async (cadreId: number) => chat.tdb.db.query(
  `SELECT village_id, started_at, ended_at, duration_minutes, auto_closed FROM visits
    WHERE cadre_id = $1 AND revoked_at IS NULL ORDER BY id`, [cadreId]);
const days = async (cadreId: number): Promise<string[]> =>
  ((await chat.tdb.db.query(
    `SELECT to_char(day, 'MM-DD') || (CASE WHEN resident > 0 THEN ' resident' ELSE '' END) AS d
       FROM cadre_days WHERE cadre_id = $1 ORDER BY day`, [cadreId])) as { d: string }[]).map((r) => r.d);

describe('an overnight stay', () => {
  it('is left open by the auto-checkout runs of the night and closed by the 签退 next morning', async () => {
    await chat.say('zhaoqiang', '签到 丁门村', at('2026-03-02 18:00'));
    expect(await autoCheckout('2026-03-02 23:59')).toMatchObject({ closed: 0 });
    expect(await autoCheckout('2026-03-03 01:00')).toMatchObject({ closed: 0 });
    const reply = await chat.say('zhaoqiang', '签退', at('2026-03-03 08:00'));
    expect(reply).toContain('签到3月2日 18:00，签退3月3日 08:00，停留14小时。');
    expect(await visits(chat.seeded.cadres.zhao)).toMatchObject([{ duration_minutes: 840, auto_closed: false }]);
  });

  it('counts both dates on site and the night as a resident day for the team member', async () => {
    expect(await days(chat.seeded.cadres.zhao)).toEqual(['03-02 resident', '03-03']);
    expect(await chat.say('zhaoqiang', '进度', at('2026-03-03 09:00'))).toContain('驻村 已到村2天、驻村1天');
  });

  it('a long day without a night is a day on site, not a resident day', async () => {
    await chat.say('zhaoqiang', '签到 丁门村', at('2026-03-05 07:00'));
    await chat.say('zhaoqiang', '签退', at('2026-03-05 19:00'));
    expect(await days(chat.seeded.cadres.zhao)).toEqual(['03-02 resident', '03-03', '03-05']);
  });
});

describe('a check-in left open', () => {
  it('is closed only after the 24-hour cap, counted as start + 8 h, the same whenever the job runs', async () => {
    await chat.say('liming', '签到 西坪村', at('2026-04-01 22:00'));
    expect(await autoCheckout('2026-04-02 21:00')).toMatchObject({ closed: 0 });
    // the job runs two days late: the check-in counts what it would have counted at 22:00 on 2 April
    expect(await autoCheckout('2026-04-04 10:00')).toMatchObject({ closed: 1 });
    expect(await visits(chat.seeded.cadres.li)).toMatchObject([
      { ended_at: at('2026-04-02 06:00'), duration_minutes: 480, auto_closed: true },
    ]);
    // a forgotten 签退 covers its dates on site, and no night
    expect(await days(chat.seeded.cadres.li)).toEqual(['04-01', '04-02']);
    expect(await chat.say('liming', '签退', at('2026-04-04 10:05'))).toBe('您当前没有未签退的签到。到村时请发送“签到 村名”。');
  });

  it('is counted up to the cap by a manual 签退 after longer, and the reply says so', async () => {
    await chat.say('liming', '签到 王门村', at('2026-05-04 09:00'));
    const reply = await chat.say('liming', '签退', at('2026-05-07 19:00'));
    expect(reply).toContain('签到5月4日 09:00，签退5月7日 19:00，停留82小时。\n停留超过24小时，按24小时计入。');
    expect(await visits(chat.seeded.cadres.li)).toMatchObject([{}, { ended_at: at('2026-05-05 09:00'), duration_minutes: 1440 }]);
    expect(await days(chat.seeded.cadres.li)).toEqual(['04-01', '04-02', '05-04 resident', '05-05']);
  });
});

describe('签到 again at the same village', () => {
  it('after 签退, within the duplicate window, is a new visit', async () => {
    await chat.say('zhangwei', '签到 丁门村', at('2026-06-01 09:00'));
    await chat.say('zhangwei', '签退', at('2026-06-01 09:10'));
    const reply = await chat.say('zhangwei', '签到 丁门村', at('2026-06-01 09:20'));
    expect(reply).toContain('已签到：天水市武山县鸳鸯镇丁门村\n时间：6月1日 09:20');
    expect(reply).toContain('本单位今年第4次进村');
    expect(await visits(chat.seeded.cadres.zhang)).toHaveLength(2);
  });

  it('after a check-in elsewhere closed the first one, is a new visit too', async () => {
    await chat.say('zhangwei', '签到 鸳鸯镇王门村', at('2026-06-01 09:25'));
    const reply = await chat.say('zhangwei', '签到 丁门村', at('2026-06-01 09:30'));
    expect(reply).toContain('已签到：天水市武山县鸳鸯镇丁门村');
    expect(reply).toContain('（已自动为您签退天水市武山县鸳鸯镇王门村，停留5分钟）');
    expect(await visits(chat.seeded.cadres.zhang)).toHaveLength(4);
  });

  it('while the visit there is open: a duplicate within the window, a new visit after it', async () => {
    expect(await chat.say('zhangwei', '签到 丁门村', at('2026-06-01 09:45')))
      .toBe('您已于6月1日 09:30在天水市武山县鸳鸯镇丁门村签到，无需重复签到。离村时请发送“签退”。');
    const later = await chat.say('zhangwei', '签到 丁门村', at('2026-06-01 14:00'));
    expect(later).toContain('（已自动为您签退天水市武山县鸳鸯镇丁门村，停留4小时30分钟）');
    expect(await visits(chat.seeded.cadres.zhang)).toHaveLength(5);
    await chat.say('zhangwei', '签退', at('2026-06-01 15:00'));
  });
});

describe('第一书记', () => {
  it('is a team member with days on site, and owns problems at the unit\'s village like a 队长', async () => {
    await chat.tdb.db.query(`UPDATE cadres SET role = '第一书记' WHERE id = $1`, [chat.seeded.cadres.li]);
    const checkin = await chat.say('liming', '签到 西坪村', at('2026-07-01 09:00'));
    expect(checkin).toMatch(/您今年累计到村\d+天，年度要求≥220天。/);
    const reply = await chat.say('sunli', '上报 西坪村 水渠渗漏', at('2026-07-01 09:30'));
    expect(reply).toContain('责任人：李明（武山县农业农村局）');
  });
});
