import { at, useChat } from '../../support/chat-harness';

/** 五必访 (报告, 走访 with its reason, 进度, 统计) and 五必到 kinds of 通知, through the bot. */

const chat = useChat();

const { q } = chat;
const events = () => q(`SELECT h.householder, m.kind, m.note, m.cadre_id, m.due_at, m.done_at IS NOT NULL AS done
                          FROM must_visits m JOIN households h ON h.id = m.household_id ORDER BY m.id`);

describe('报告 (五必访)', () => {
  it('records an event for a household of a linked village and tells its linked cadre at once', async () => {
    // 赵强 (队长 of the unit linked to 丁门村) reports for 张伟's household 张三
    const reply = await chat.say('zhaoqiang', '报告 张三 住院 腿部骨折', at('2026-11-23 09:00'));
    expect(reply).toBe([
      '已报告五必访：张三（武山县鸳鸯镇丁门村） 生病住院',
      '已通知联户干部张伟，须于11月26日 09:00前入户走访。',
    ].join('\n'));
    expect(await events()).toEqual([expect.objectContaining({
      householder: '张三', kind: '生病住院', note: '腿部骨折', cadre_id: chat.seeded.cadres.zhang,
      due_at: at('2026-11-26 09:00'), done: false,
    })]);
    const [told] = await q(`SELECT recipient, payload FROM outbox_messages WHERE idempotency_key LIKE 'must-visit:%'`);
    expect(told.recipient).toBe('zhangwei');
    expect(told.payload.text.content).toBe([
      '【五必访】赵强报告：您的联系户张三（武山县鸳鸯镇丁门村）生病住院：腿部骨折。',
      '请于11月26日 09:00前入户走访，走访后发送“走访 张三 生病住院 情况”。',
    ].join('\n'));
  });

  it('does not record the same open event twice', async () => {
    expect(await chat.say('zhangwei', '报告 张三 生病', at('2026-11-23 10:00')))
      .toBe('张三（武山县鸳鸯镇丁门村）的五必访（生病住院）已于11月23日 09:00报告，须于11月26日 09:00前走访，无需重复报告。');
    expect(await events()).toHaveLength(1);
  });

  it('takes the aliases of every kind, and tells the cadre reporting for their own household what to do', async () => {
    expect(await chat.say('zhangwei', '报告 李四 纠纷 宅基地', at('2026-11-23 10:05'))).toBe([
      '已报告五必访：李四（武山县鸳鸯镇丁门村） 邻里纠纷',
      '请您于11月26日 10:05前入户走访，走访后发送“走访 李四 邻里纠纷 情况”。',
    ].join('\n'));
    expect(await chat.say('zhangwei', '报告 王五婚礼', at('2026-11-23 10:06'))).toContain('王五（武山县鸳鸯镇丁门村） 婚丧嫁娶');
    const own = await q(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'must-visit:%'`);
    expect(own).toEqual([{ n: 1 }]); // nobody is told of their own report
  });

  it('records an event for a household without a linked cadre, saying so', async () => {
    expect(await chat.say('zhaoqiang', '报告 赵七 困难', at('2026-11-23 10:10'))).toBe([
      '已报告五必访：赵七（武山县鸳鸯镇丁门村） 生活困难',
      '该户暂无联户干部，请联系本单位双联办指定；逾期未走访将报告乡镇领导。',
    ].join('\n'));
  });

  it('asks for the reason, and for a household it can find, recording nothing', async () => {
    expect(await chat.say('zhaoqiang', '报告 张三 看望', at('2026-11-23 10:20'))).toBe(
      '请注明事由：婚丧嫁娶（婚礼、丧事）、情绪波动（情绪）、生活困难（困难）、生病住院（住院、生病）或邻里纠纷（纠纷）。' +
      '正确格式：报告 户主姓名 事由 [情况]，例如：报告 张三 住院 腿部骨折');
    expect(await chat.say('zhaoqiang', '报告', at('2026-11-23 10:20'))).toBe('请输入户主姓名和事由。正确格式：报告 户主姓名 事由 [情况]');
    expect(await chat.say('zhaoqiang', '报告 陈六 住院', at('2026-11-23 10:20'))).toContain('在您联系的村中未找到户主“陈六”。');
    expect(await events()).toHaveLength(4);
  });

  it('lists namesakes with numbers, and a leader finds households in their scope', async () => {
    expect(await chat.say('liming', '报告 张三 情绪', at('2026-11-23 10:30'))).toBe([
      '有多户户主叫“张三”，请回复序号选择：',
      '1. 张三（武山县鸳鸯镇王门村）',
      '2. 张三（武山县洛门镇西坪村）',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await chat.say('liming', '2', at('2026-11-23 10:31'))).toBe([
      '已报告五必访：张三（武山县洛门镇西坪村） 情绪波动',
      '请您于11月26日 10:31前入户走访，走访后发送“走访 张三 情绪波动 情况”。',
    ].join('\n'));
    expect(await chat.say('wangju', '报告 王门村张三 丧事', at('2026-11-23 10:40'))).toBe([
      '已报告五必访：张三（武山县鸳鸯镇王门村） 婚丧嫁娶',
      '已通知联户干部李明，须于11月26日 10:40前入户走访。',
    ].join('\n'));
  });

  it('进度 lists the visits a cadre owes, soonest first', async () => {
    const reply = await chat.say('zhangwei', '进度', at('2026-11-24 08:00'));
    expect(reply!.split('\n').at(-1)).toBe(
      '【五必访】待走访3件：张三 生病住院（11月26日 09:00前）；李四 邻里纠纷（11月26日 10:05前）；王五 婚丧嫁娶（11月26日 10:06前）');
  });

  it('a visit closes the event: within the deadline any visit, after it one naming the reason', async () => {
    const inTime = await chat.say('zhangwei', '走访 张三 看望了解病情', at('2026-11-25 09:00'));
    expect(inTime!.split('\n').at(-1)).toBe('五必访（生病住院）已走访，按时完成。');
    expect(await chat.say('zhangwei', '走访 李四 送去慰问品', at('2026-11-27 09:00'))).not.toContain('五必访');
    const late = await chat.say('zhangwei', '走访 李四 纠纷 已调解', at('2026-11-27 10:00'));
    expect(late!.split('\n').at(-1)).toBe('五必访（邻里纠纷）已走访，已超过期限。');
    expect((await events()).map((e: { householder: string; done: boolean }) => [e.householder, e.done])).toEqual([
      ['张三', true], ['李四', true], ['王五', false], ['赵七', false], ['张三', false], ['张三', false]]);
  });

  it('撤销 of the visit opens the event again', async () => {
    expect(await chat.say('zhangwei', '走访 王五 婚丧 随礼', at('2026-11-27 11:00'))).toContain('五必访（婚丧嫁娶）已走访');
    expect(await chat.say('zhangwei', '撤销', at('2026-11-27 11:02'))).toContain('已撤销');
    const [wangwu] = await q(`SELECT m.done_at, m.household_visit_id FROM must_visits m JOIN households h ON h.id = m.household_id
                               WHERE h.householder = '王五'`);
    expect(wangwu).toEqual({ done_at: null, household_visit_id: null });
  });

  it('统计 gives the events due this year, visited in time and overdue', async () => {
    const reply = await chat.say('wangju', '统计 武山县', at('2026-11-28 20:00'));
    // due by now: 张三 (in time), 李四 (late), 王五, 赵七, 张三@西坪, 张三@王门 (overdue)
    expect(reply!.split('\n')).toContain('五必访：今年到期6件，按时走访1件（16.7%），逾期未走访4件');
  });
});

describe('通知 with its 五必到 kind', () => {
  it('takes a kind before the content, stores it with the end of attendance, and heads the message with it', async () => {
    const reply = await chat.say('wangju', '通知 鸳鸯镇 会议 明早9点村委会议', at('2026-11-29 20:00'));
    expect(reply).toBe('已向天水市武山县鸳鸯镇发出会议通知：联系干部3人。对方回复“收到”即为确认，未确认的会自动提醒；' +
      '11月30日 20:00前在范围内到村签到计为到场。');
    const [n] = await q('SELECT kind, content, attend_until FROM notices ORDER BY id DESC LIMIT 1');
    expect(n).toEqual({ kind: '会议', content: '明早9点村委会议', attend_until: at('2026-11-30 20:00') });
    const [msg] = await q(`SELECT payload::text AS p FROM outbox_messages WHERE channel = 'app' AND idempotency_key LIKE 'notice:%'
                           ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(msg.p)).toMatchObject({ msgtype: expect.any(String) });
    expect(msg.p).toContain('【会议通知】明早9点村委会议\\n——王局长\\n请回复“收到”确认。');
  });

  it('is 突发 by default, and reads 交办事项, 重要活动 as their kinds', async () => {
    await chat.say('wangju', '通知 鸳鸯镇 今晚大风注意安全', at('2026-11-29 20:10'));
    await chat.say('wangju', '通知 鸳鸯镇 交办事项：统计危房户', at('2026-11-29 20:20'));
    await chat.say('wangju', '通知 鸳鸯镇 重要活动 周六义诊', at('2026-11-29 20:30'));
    const rows = await q('SELECT kind, content FROM notices ORDER BY id DESC LIMIT 3');
    expect(rows).toEqual([
      { kind: '活动', content: '周六义诊' }, { kind: '交办', content: '统计危房户' }, { kind: '突发', content: '今晚大风注意安全' }]);
  });

  it('needs content after the kind', async () => {
    expect(await chat.say('wangju', '通知 鸳鸯镇 会议', at('2026-11-29 20:40')))
      .toBe('请输入通知内容。正确格式：通知 范围 [类别] 内容');
  });
});
