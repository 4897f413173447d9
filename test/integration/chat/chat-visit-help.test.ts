import { at, useChat } from '../../support/chat-harness';

/** A 走访 carrying a 六送 kind records the household visit and the help act together (both or neither). */

const chat = useChat();

const { q } = chat;
const visits = () => q(`SELECT h.householder, v.note, v.talk FROM household_visits v JOIN households h ON h.id = v.household_id
                         WHERE v.revoked_at IS NULL ORDER BY v.id`);
const acts = () => q(`SELECT h.householder, a.kind, a.note, a.amount_yuan::float AS amount FROM help_acts a
                       JOIN households h ON h.id = a.household_id WHERE a.revoked_at IS NULL ORDER BY a.id`);

describe('走访 with a 六送 kind', () => {
  it('records the visit and the help act, and the reply says both', async () => {
    expect(await chat.say('zhangwei', '走访 张三 送技术 讲解种植', at('2026-11-23 09:40'))).toBe([
      '已记录走访：张三（武山县鸳鸯镇丁门村）',
      '时间：11月23日 09:40',
      '今年已走访该户1次、1天，谈心0次；年度要求≥2次/≥7天，谈心≥2次。',
      '已记录帮扶：送技术',
      '今年该户已获帮扶1次（送技术1次）；您今年共记录帮扶1次（送技术1次）。',
    ].join('\n'));
    expect(await visits()).toEqual([{ householder: '张三', note: '送技术 讲解种植', talk: false }]);
    expect(await acts()).toEqual([{ householder: '张三', kind: '送技术', note: '讲解种植', amount: null }]);
  });

  it('takes the kinds as 帮扶 does: without 送 as a word of its own, glued with 送, after 谈心, and 送资金 with its amount', async () => {
    expect(await chat.say('zhangwei', '走访 李四 温暖 送去米面油', at('2026-11-23 10:00'))).toContain('已记录帮扶：送温暖');
    expect(await chat.say('zhangwei', '走访 王五 送政策讲解低保', at('2026-11-23 10:10'))).toContain('已记录帮扶：送政策');
    const talk = await chat.say('zhangwei', '走访 张三 谈心 送信息 务工招聘', at('2026-11-23 10:20'));
    expect(talk).toContain('（谈心交流）');
    expect(talk).toContain('已记录帮扶：送信息');
    const money = await chat.say('zhangwei', '入户 李四 资金 2000元 产业补助', at('2026-11-23 10:30'));
    expect(money!.split('\n').slice(-2)).toEqual([
      '已记录帮扶：送资金 2000元',
      '今年该户已获帮扶2次（送资金1次、送温暖1次，资金共2000元）；您今年共记录帮扶5次（送政策1次、送资金1次、送技术1次、送信息1次、送温暖1次，资金共2000元）。',
    ]);
    expect((await acts()).map((a: { kind: string; amount: number | null }) => [a.kind, a.amount])).toEqual([
      ['送技术', null], ['送温暖', null], ['送政策', null], ['送信息', null], ['送资金', 2000]]);
  });

  it('leaves a note that merely starts with a kind\'s word a plain visit', async () => {
    const reply = await chat.say('zhangwei', '走访 王五 信息采集', at('2026-11-23 11:00'));
    expect(reply).not.toContain('帮扶');
    expect(await acts()).toHaveLength(5);
  });

  it('records neither when the help act is incomplete', async () => {
    const before = (await visits()).length;
    expect(await chat.say('zhangwei', '走访 张三 送资金 产业补助', at('2026-11-23 11:10')))
      .toBe('送资金请写明金额（元），例如：帮扶 张三 送资金 2000元 产业补助');
    expect(await chat.say('zhangwei', '走访 张三 送技术', at('2026-11-23 11:11')))
      .toBe('请写明送技术的内容。正确格式：帮扶 户主姓名 类别 内容，例如：帮扶 张三 送资金 2000元 产业补助');
    expect(await visits()).toHaveLength(before);
    expect(await acts()).toHaveLength(5);
  });

  it('撤销 undoes the visit and its help act together', async () => {
    await chat.say('zhangwei', '走访 王五 送温暖 送去棉被', at('2026-11-23 12:00'));
    expect(await chat.say('zhangwei', '撤销', at('2026-11-23 12:01')))
      .toBe('已撤销您11月23日 12:00的走访记录及帮扶记录，不再计入统计。');
    expect(await acts()).toHaveLength(5);
    expect((await visits()).filter((v: { note: string }) => v.note.includes('棉被'))).toEqual([]);
  });
});
