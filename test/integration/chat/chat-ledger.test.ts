import { at, useChat } from '../../support/chat-harness';
import { overdueProblems } from '../../../src/services/problems/overdue';

/** The problem ledger as a county runs it: 重开, 撤销 of a problem, 销号 with its note, categories; 谈心 made explicit. */

const chat = useChat();

const { q } = chat;
const problem = async (code: string) =>
  (await q(`SELECT status, category, description, to_char(deadline, 'YYYY-MM-DD') AS deadline, closed_at, close_note,
                   revoked_at IS NOT NULL AS revoked FROM problems WHERE code = $1`, [code]))[0];
const events = async (code: string) =>
  q('SELECT e.kind, e.actor_id, e.note FROM problem_events e JOIN problems p ON p.id = e.problem_id WHERE p.code = $1 ORDER BY e.id', [code]);

describe('问题类别', () => {
  it('takes an explicit category after the village and shows it', async () => {
    expect(await chat.say('zhangwei', '上报 丁门村 饮水安全 入冬后水管冻裂', at('2026-11-02 09:00'))).toBe([
      '已登记问题 W2026-0001：入冬后水管冻裂',
      '村：天水市武山县鸳鸯镇丁门村',
      '类别：饮水安全',
      '责任人：张伟（天水市交通运输局）',
      '整改期限：12月2日',
      '整改后发送“销号 W2026-0001 整改说明”。',
    ].join('\n'));
    expect(await problem('W2026-0001')).toMatchObject({ category: '饮水安全', description: '入冬后水管冻裂' });
  });

  it('takes an explicit category without a village, and 其他', async () => {
    expect(await chat.say('zhangwei', '上报 产业发展：花椒销路不畅', at('2026-11-02 09:20'))).toContain('：花椒销路不畅\n村：天水市武山县鸳鸯镇丁门村\n类别：产业发展');
    expect(await chat.say('zhangwei', '上报 丁门村 其他 村委会公示栏破损', at('2026-11-02 09:30'))).toContain('类别：其他');
  });

  it('infers the category from keywords, else 其他', async () => {
    await chat.say('zhangwei', '上报 丁门村 村道塌方需修复', at('2026-11-02 10:00'));
    await chat.say('zhangwei', '上报 丁门村 两户因宅基地边界发生纠纷', at('2026-11-02 10:10'));
    await chat.say('zhangwei', '上报 丁门村 孩子辍学在家', at('2026-11-02 10:20'));
    await chat.say('zhangwei', '上报 丁门村 村委会公章遗失', at('2026-11-02 10:30'));
    const rows = await q("SELECT description, category FROM problems WHERE reported_at >= '2026-11-02 02:00Z' ORDER BY id");
    expect(rows).toEqual([
      { description: '村道塌方需修复', category: '基础设施' },
      { description: '两户因宅基地边界发生纠纷', category: '矛盾纠纷' },
      { description: '孩子辍学在家', category: '义务教育' },
      { description: '村委会公章遗失', category: '其他' },
    ]);
  });

  it('reads categories and keywords as data', async () => {
    await q(`UPDATE problem_categories SET keywords = array_append(keywords, '公章') WHERE name = '基础设施'`);
    await chat.say('zhangwei', '上报 丁门村 村委会公章又丢了', at('2026-11-02 11:00'));
    expect((await q("SELECT category FROM problems WHERE description = '村委会公章又丢了'"))[0].category).toBe('基础设施');
    await q(`UPDATE problem_categories SET keywords = array_remove(keywords, '公章') WHERE name = '基础设施'`);
  });

  it('asks for a description after a bare category', async () => {
    expect(await chat.say('zhangwei', '上报 丁门村 饮水安全', at('2026-11-02 11:10')))
      .toBe('请输入问题描述。正确格式：上报 [村名] [类别] 问题描述，例如：上报 丁门村 饮水安全 水管冻裂');
  });
});

describe('销号 needs its 整改说明', () => {
  it('refuses a 销号 without a note, showing the right form, recording nothing', async () => {
    expect(await chat.say('zhangwei', '销号 W2026-0001', at('2026-11-03 09:00')))
      .toBe('请输入整改说明。正确格式：销号 问题编号 整改说明，例如：销号 W2026-0001 已修复');
    expect(await problem('W2026-0001')).toMatchObject({ status: 'open', closed_at: null });
    expect(await chat.say('zhangwei', '销号', at('2026-11-03 09:00'))).toBe('请输入问题编号。正确格式：销号 问题编号 整改说明');
  });
});

describe('重开', () => {
  it('the reporter reopens a closed problem with a reason and a new deadline, recorded as an event', async () => {
    await chat.say('zhangwei', '销号 W2026-0001 已更换保温水管', at('2026-11-05 09:00'));
    expect(await chat.say('zhangwei', '重开 W2026-0001 水管再次冻裂', at('2026-12-10 09:00'))).toBe([
      '已重开问题 W2026-0001：入冬后水管冻裂',
      '原因：水管再次冻裂',
      '新整改期限：2027年1月9日',
      '整改后发送“销号 W2026-0001 整改说明”。',
    ].join('\n'));
    expect(await problem('W2026-0001')).toMatchObject({ status: 'open', deadline: '2027-01-09', closed_at: null, close_note: null });
    expect((await events('W2026-0001')).map((e: { kind: string }) => e.kind)).toEqual(['reported', 'closed', 'reopened']);
    expect((await events('W2026-0001'))[2]).toEqual({ kind: 'reopened', actor_id: chat.seeded.cadres.zhang, note: '水管再次冻裂' });
    expect(await chat.say('zhangwei', '问题', at('2026-12-10 09:05'))).toContain('W2026-0001 丁门村 入冬后水管冻裂（期限2027年1月9日）');
  });

  it('a leader over the village may reopen; others may not; an open problem needs no reopening', async () => {
    await chat.say('zhangwei', '销号 W2026-0001 已更换防冻水管', at('2026-12-11 09:00'));
    expect(await chat.say('liming', '重开 W2026-0001 仍漏水', at('2026-12-12 09:00')))
      .toBe('只有上报人、责任人或管辖该村的领导可以重开 W2026-0001。');
    expect(await chat.say('lzlead', '重开 1 仍漏水', at('2026-12-12 09:00')))
      .toBe('只有上报人、责任人或管辖该村的领导可以重开 W2026-0001。');
    expect(await chat.say('wangju', '重开 w2026-1 督查发现仍漏水', at('2026-12-12 09:00'))).toContain('已重开问题 W2026-0001');
    expect(await chat.say('wangju', '重开 W2026-0001 再次', at('2026-12-12 09:01'))).toBe('问题 W2026-0001 尚未销号，无需重开。');
  });

  it('a reopened problem is escalated afresh from its new deadline', async () => {
    await q(`INSERT INTO problem_events (problem_id, kind, data, at)
             SELECT id, 'escalated', '{"level": 3}', '2026-12-01 02:00Z' FROM problems WHERE code = 'W2026-0001'`);
    const [p] = (await overdueProblems(chat.tdb.db, '2027-02-01')).filter((x) => x.code === 'W2026-0001');
    expect(p).toMatchObject({ escalated: 0 });
  });

  it('says what is missing', async () => {
    expect(await chat.say('zhangwei', '重开', at('2026-12-12 10:00'))).toBe('请输入问题编号。正确格式：重开 问题编号 原因');
    expect(await chat.say('zhangwei', '重开 W2026-0002', at('2026-12-12 10:00'))).toBe('问题 W2026-0002 尚未销号，无需重开。');
    await chat.say('zhangwei', '销号 W2026-0002 已联系收购商', at('2026-12-12 10:00'));
    expect(await chat.say('zhangwei', '重开 W2026-0002', at('2026-12-12 10:01')))
      .toBe('请输入重开原因。正确格式：重开 问题编号 原因，例如：重开 W2026-0002 整改后问题再次出现');
    expect(await problem('W2026-0002')).toMatchObject({ status: 'closed' });
    expect(await chat.say('zhangwei', '重开 水管 又坏了', at('2026-12-12 10:00')))
      .toBe('问题编号“水管”格式有误，例如：重开 W2026-0001 整改后问题再次出现。发送“问题”可查看编号。');
    expect(await chat.say('zhangwei', '重开 W2026-0099 又坏了', at('2026-12-12 10:00'))).toBe('未找到问题 W2026-0099。');
  });
});

describe('撤销 of a problem', () => {
  it('an undone problem keeps its number, marked 已撤销, and no longer counts as open', async () => {
    const reply = await chat.say('zhangwei', '上报 丁门村 误报的问题', at('2026-12-14 09:00'));
    const code = /问题 (W2026-\d{4})/.exec(reply!)![1];
    expect(await chat.say('zhangwei', '撤销', at('2026-12-14 09:02'))).toBe(`已撤销您12月14日 09:00的问题上报 ${code}，不再计入统计。`);
    expect(await problem(code)).toMatchObject({ status: 'revoked', revoked: true, description: '误报的问题' });
    expect(await chat.say('zhangwei', '问题', at('2026-12-14 09:03'))).not.toContain(code);
    expect(await chat.say('zhangwei', `销号 ${code} 已处理`, at('2026-12-14 09:04'))).toBe(`问题 ${code} 已撤销，无需销号。`);
    const next = await chat.say('zhangwei', '上报 丁门村 下一个问题', at('2026-12-14 09:05'));
    expect(next).toContain(`W2026-${String(Number(code.slice(6)) + 1).padStart(4, '0')}`);
    await chat.say('zhangwei', '撤销', at('2026-12-14 09:06'));
  });

  it('does not undo a problem someone has acted on since', async () => {
    const reply = await chat.say('zhangwei', '上报 丁门村 路灯不亮', at('2026-12-15 09:00'));
    const code = /问题 (W2026-\d{4})/.exec(reply!)![1];
    await chat.say('wangju', `销号 ${code} 已更换灯泡`, at('2026-12-15 09:03'));
    expect(await chat.say('zhangwei', '撤销', at('2026-12-15 09:05')))
      .toBe(`问题 ${code} 上报后已有处理记录（已销号），不能撤销。`);
    expect(await problem(code)).toMatchObject({ status: 'closed', revoked: false });

    const second = await chat.say('zhangwei', '上报 丁门村 路灯又不亮', at('2026-12-16 09:00'));
    const code2 = /问题 (W2026-\d{4})/.exec(second!)![1];
    await chat.say('zhangwei', `销号 ${code2} 已修复`, at('2026-12-16 09:01'));
    await chat.say('wangju', `重开 ${code2} 督查发现未修复`, at('2026-12-16 09:02'));
    expect(await chat.say('zhangwei', '撤销', at('2026-12-16 09:03')))
      .toBe(`问题 ${code2} 上报后已有处理记录（已重开），不能撤销。`);
    expect(await problem(code2)).toMatchObject({ status: 'open', revoked: false });
  });
});

describe('谈心', () => {
  it('counts a talk only with the keyword right after the household name', async () => {
    expect(await chat.say('zhangwei', '走访 张三 今天没有谈心，只送了慰问品', at('2026-11-10 09:00'))).toBe([
      '已记录走访：张三（武山县鸳鸯镇丁门村）',
      '时间：11月10日 09:00',
      '今年已走访该户1次、1天，谈心0次；年度要求≥2次/≥7天，谈心≥2次。',
    ].join('\n'));
    expect(await chat.say('zhangwei', '走访 张三 谈心 了解春耕准备', at('2026-11-11 09:00'))).toContain('时间：11月11日 09:00（谈心交流）');
    const rows = await q('SELECT talk, note FROM household_visits WHERE cadre_id = $1 ORDER BY id', [chat.seeded.cadres.zhang]);
    expect(rows).toEqual([{ talk: false, note: '今天没有谈心，只送了慰问品' }, { talk: true, note: '谈心 了解春耕准备' }]);
  });

  it('has its own verb', async () => {
    expect(await chat.say('zhangwei', '谈心 李四 了解家庭收入', at('2026-11-12 09:00'))).toBe([
      '已记录走访：李四（武山县鸳鸯镇丁门村）',
      '时间：11月12日 09:00（谈心交流）',
      '今年已走访该户1次、1天，谈心1次；年度要求≥2次/≥7天，谈心≥2次。',
    ].join('\n'));
    expect(await chat.say('zhangwei', '谈心', at('2026-11-12 09:00'))).toBe('请输入户主姓名。正确格式：谈心 户主姓名 [内容]');
  });

  it('帮助 says how', async () => {
    const help = (await chat.say('zhangwei', '帮助', at('2026-11-12 09:00')))!;
    expect(help).toContain('· 走访 户主姓名 [内容]：记录入户走访；户主姓名后紧跟“谈心”计为谈心交流，例如：走访 张三 谈心 了解春耕');
    expect(help).toContain('· 谈心 户主姓名 [内容]：记录与联系户的谈心交流，例如：谈心 张三 了解家庭收入');
    expect(help).toContain('· 重开 问题编号 原因：');
  });
});
