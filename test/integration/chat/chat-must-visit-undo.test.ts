import { at, useChat } from '../../support/chat-harness';

/** 撤销 of a 报告 (a 五必访 event): undone within the undo window unless visited since; the told cadre hears of it. */

const chat = useChat();

const { q } = chat;
const live = () => q(`SELECT h.householder, m.kind FROM must_visits m JOIN households h ON h.id = m.household_id
                       WHERE m.revoked_at IS NULL ORDER BY m.id`);
const toldOf = (pattern: string) => q(`SELECT recipient, payload->'text'->>'content' AS text FROM outbox_messages
                                       WHERE idempotency_key LIKE $1 ORDER BY id`, [pattern]);

describe('撤销 of a 报告', () => {
  it('undoes the reporter\'s last 报告, and tells the household\'s cadre it was withdrawn', async () => {
    await chat.say('zhaoqiang', '报告 张三 住院 腿部骨折', at('2026-11-23 09:00'));
    expect(await chat.say('zhaoqiang', '撤销', at('2026-11-23 09:05')))
      .toBe('已撤销您11月23日 09:00的五必访报告（张三 生病住院），不再计入统计。');
    expect(await live()).toEqual([]);
    const [row] = await q('SELECT revoked_at FROM must_visits');
    expect(row.revoked_at).toEqual(at('2026-11-23 09:05'));
    expect(await toldOf('must-visit-revoked:%')).toEqual([{
      recipient: 'zhangwei',
      text: '【五必访】已撤销：赵强11月23日 09:00报告的张三（武山县鸳鸯镇丁门村）生病住院已撤销，无需再为此走访。',
    }]);
  });

  it('is no longer owed: 进度 does not list it and a new 报告 of the kind records a new event', async () => {
    const progress = await chat.say('zhangwei', '进度', at('2026-11-23 09:10'));
    expect(progress).not.toContain('五必访');
    expect(await chat.say('zhaoqiang', '报告 张三 生病', at('2026-11-23 09:20'))).toContain('已报告五必访：张三');
    expect(await live()).toEqual([{ householder: '张三', kind: '生病住院' }]);
  });

  it('cannot undo a 报告 once the household has been visited for it', async () => {
    expect(await chat.say('zhangwei', '走访 张三 看望', at('2026-11-23 09:25'))).toContain('五必访（生病住院）已走访');
    expect(await chat.say('zhaoqiang', '撤销', at('2026-11-23 09:26')))
      .toBe('张三的五必访报告（生病住院）已走访，不能撤销。');
    expect(await live()).toEqual([{ householder: '张三', kind: '生病住院' }]);
  });

  it('does not tell anyone when the reporter is the household\'s own cadre', async () => {
    await chat.say('zhangwei', '报告 李四 纠纷 宅基地', at('2026-11-23 10:00'));
    expect(await chat.say('zhangwei', '撤销', at('2026-11-23 10:01')))
      .toBe('已撤销您11月23日 10:00的五必访报告（李四 邻里纠纷），不再计入统计。');
    expect(await toldOf('must-visit-revoked:%')).toHaveLength(1);
  });

  it('undoes nothing after the undo window', async () => {
    await chat.say('zhaoqiang', '报告 李四 困难', at('2026-11-23 11:00'));
    expect(await chat.say('zhaoqiang', '撤销', at('2026-11-23 11:11'))).toContain('没有可撤销的记录');
    expect(await live()).toHaveLength(2);
  });

  it('统计 and the digests no longer count an undone event', async () => {
    await chat.say('zhaoqiang', '报告 王五 情绪', at('2026-11-24 09:00'));
    await chat.say('zhaoqiang', '撤销', at('2026-11-24 09:01'));
    // due by 11-28: 张三 (visited in time), 李四 困难 (overdue); 王五 was undone
    const stats = await chat.say('wangju', '统计 武山县', at('2026-11-28 20:00'));
    expect(stats!.split('\n')).toContain('五必访：今年到期2件，按时走访1件（50%），逾期未走访1件');
    // 王五's would have fallen due on 11-27 09:00; only 李四's is overdue
    const daily = await chat.say('wangju', '日报', at('2026-11-27 20:00'));
    expect(daily).toContain('五必访：到期 0 件，按时走访 0 件，逾期未走访 1 件');
  });
});
