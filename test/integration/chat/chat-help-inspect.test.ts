import { at, useChat } from '../../support/chat-harness';

/**
 * 六送 (帮扶 户主 类别 内容) and the leaders' 督查 (docs/design.md §2, §3): what is
 * recorded, the counts in the replies, 进度 and 统计, bad input recording
 * nothing, and 撤销 of either.
 */

const chat = useChat();

const { q } = chat;
const helpActs = () => q(`SELECT h.householder, a.kind, a.amount_yuan, a.note, a.unit_id, a.household_link_id IS NOT NULL AS linked,
                                 a.revoked_at IS NOT NULL AS revoked
                            FROM help_acts a JOIN households h ON h.id = a.household_id ORDER BY a.id`);
const tallies = () => q(`SELECT kind, acts, amount_yuan FROM village_help_tallies WHERE village_id = $1 AND year = 2026 ORDER BY kind`,
  [chat.seeded.regions.dingmen]);

describe('帮扶', () => {
  it('records a 送资金 act with its amount, its unit and 联户 link, and the running counts', async () => {
    expect(await chat.say('zhangwei', '帮扶 张三 送资金 2000元 产业补助', at('2026-11-23 09:40'))).toBe([
      '已记录帮扶：张三（武山县鸳鸯镇丁门村）',
      '类别：送资金 2000元',
      '时间：11月23日 09:40',
      '今年该户已获帮扶1次（送资金1次，资金共2000元）；您今年共记录帮扶1次（送资金1次，资金共2000元）。',
    ].join('\n'));
    expect(await helpActs()).toEqual([{
      householder: '张三', kind: '送资金', amount_yuan: '2000.00', note: '2000元 产业补助', unit_id: chat.seeded.units.traffic,
      linked: true, revoked: false,
    }]);
  });

  it('takes the short forms of the kinds, a name glued to the kind, and 万元', async () => {
    expect(await chat.say('zhangwei', '帮扶 李四 温暖 送去米面油', at('2026-11-23 10:00'))).toContain('类别：送温暖\n');
    expect(await chat.say('zhangwei', '帮扶：王五送技术 指导苹果栽培', at('2026-11-23 10:05'))).toContain('已记录帮扶：王五');
    const reply = await chat.say('zhangwei', '六送 张三 资金 1.5万元 养殖项目', at('2026-11-23 10:10'));
    expect(reply).toContain('类别：送资金 15000元');
    expect(reply).toContain('今年该户已获帮扶2次（送资金2次，资金共17000元）；您今年共记录帮扶4次（送资金2次、送技术1次、送温暖1次，资金共17000元）。');
    expect(await tallies()).toEqual([
      { kind: '送技术', acts: 1, amount_yuan: '0.00' }, { kind: '送温暖', acts: 1, amount_yuan: '0.00' },
      { kind: '送资金', acts: 2, amount_yuan: '17000.00' },
    ]);
  });

  it('answers bad input with the right form and records nothing', async () => {
    const before = (await helpActs()).length;
    const form = '正确格式：帮扶 户主姓名 类别 内容，例如：帮扶 张三 送资金 2000元 产业补助';
    expect(await chat.say('zhangwei', '帮扶', at('2026-11-23 11:00'))).toBe('请输入户主姓名。正确格式：帮扶 户主姓名 类别 内容');
    expect(await chat.say('zhangwei', '帮扶 张三', at('2026-11-23 11:00')))
      .toBe(`请在户主姓名后写帮扶类别（送政策、送项目、送资金、送技术、送信息、送温暖）。${form}`);
    expect(await chat.say('zhangwei', '帮扶 张三 送钱 500元', at('2026-11-23 11:00')))
      .toBe(`帮扶类别“送钱”无效，应为 送政策、送项目、送资金、送技术、送信息、送温暖（可省略“送”字）。${form}`);
    expect(await chat.say('zhangwei', '帮扶 张三 送政策', at('2026-11-23 11:00'))).toBe(`请写明送政策的内容。${form}`);
    expect(await chat.say('zhangwei', '帮扶 张三 送资金 产业补助', at('2026-11-23 11:00')))
      .toBe('送资金请写明金额（元），例如：帮扶 张三 送资金 2000元 产业补助');
    expect(await chat.say('zhangwei', '帮扶 张四 送政策 讲解低保政策', at('2026-11-23 11:00'))).toContain('在您的联系户中未找到户主“张四”');
    expect(await helpActs()).toHaveLength(before);
  });

  it('is undone by 撤销 and leaves the counts', async () => {
    await chat.say('zhangwei', '帮扶 李四 送信息 介绍务工岗位', at('2026-11-23 12:00'));
    expect(await chat.say('zhangwei', '撤销', at('2026-11-23 12:05'))).toBe('已撤销您11月23日 12:00的帮扶记录，不再计入统计。');
    expect((await helpActs()).pop()).toMatchObject({ kind: '送信息', revoked: true });
    expect((await tallies()).find((t: { kind: string }) => t.kind === '送信息')).toEqual({ kind: '送信息', acts: 0, amount_yuan: '0.00' });
  });

  it('shows the cadre\'s acts by kind in 进度 and the scope\'s in 统计', async () => {
    // 赵强 (队长) of the same unit helps too: the unit's count has both
    await chat.tdb.db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, village_id, valid_from) VALUES ($1, $2, $3, '2026-01-01')`,
      [chat.seeded.cadres.zhao, chat.seeded.households.wangwu, chat.seeded.regions.dingmen]);
    await chat.say('zhaoqiang', '帮扶 王五 政策 讲解医保报销', at('2026-11-29 09:00'));
    const mine = (await chat.say('zhangwei', '进度', at('2026-11-30 09:00')))!;
    expect(mine.split('\n').pop()).toBe('【六送】今年帮扶4次（送资金2次、送技术1次、送温暖1次，资金共17000元）；本单位今年帮扶5次');
    expect(await chat.say('wangju', '统计 鸳鸯镇', at('2026-11-30 09:00')))
      .toContain('\n六送：今年帮扶5次（送政策1次、送资金2次、送技术1次、送温暖1次，资金共17000元）');
    expect(await chat.say('wangju', '统计 洛门镇', at('2026-11-30 09:00'))).toContain('\n六送：今年帮扶0次');
    // next year starts from nothing
    expect((await chat.say('zhangwei', '进度', at('2027-01-02 09:00')))!.split('\n').pop()).toBe('【六送】今年帮扶0次；本单位今年帮扶0次');
  });
});

describe('督查', () => {
  const inspections = () => q('SELECT village_id, kind, note, revoked_at IS NOT NULL AS revoked FROM inspections ORDER BY id');

  it('records a leader\'s 明察暗访 of a village in their scope, and 集中督查 by default', async () => {
    expect(await chat.say('wangju', '督查 丁门村 明察暗访 工作队在岗，台账齐全', at('2026-11-24 15:00'))).toBe([
      '已记录督查：天水市武山县鸳鸯镇丁门村',
      '方式：明察暗访',
      '时间：11月24日 15:00',
      '情况：工作队在岗，台账齐全',
      '该村本月已明察暗访1次。',
    ].join('\n'));
    expect(await chat.say('wangju', '督查 西坪 检查帮扶台账', at('2026-11-24 16:00'))).toContain('方式：集中督查\n');
    expect(await inspections()).toEqual([
      { village_id: chat.seeded.regions.dingmen, kind: '明察暗访', note: '工作队在岗，台账齐全', revoked: false },
      { village_id: chat.seeded.regions.xiping, kind: '集中督查', note: '检查帮扶台账', revoked: false },
    ]);
  });

  it('reports the villages still without their inspection in the county digest', async () => {
    const digest = (await chat.say('wangju', '日报', at('2026-11-24 20:00')))!;
    expect(digest).toContain('督查：本月未明察暗访 2/3 个村，本季度未集中督查 2/3 个村');
    expect(digest).toContain('本月未明察暗访的村\n鸳鸯镇王门村、洛门镇西坪村');
    // a new month: the 明察暗访 is due again, the quarter's 集中督查 still counts
    expect(await chat.say('wangju', '日报', at('2026-12-01 20:00'))).toContain('督查：本月未明察暗访 3/3 个村，本季度未集中督查 2/3 个村');
  });

  it('is for leaders, inside their scope, with the situation written', async () => {
    const before = (await inspections()).length;
    expect(await chat.say('zhangwei', '督查 丁门村 检查', at('2026-11-24 17:00'))).toBe('“督查”仅限领导使用。发送“帮助”查看您可以使用的指令。');
    expect(await chat.say('lzlead', '督查 丁门村 检查', at('2026-11-24 17:00')))
      .toBe('天水市武山县鸳鸯镇丁门村不在您的管辖范围（兰州市）内，不能记录督查。');
    expect(await chat.say('wangju', '督查 丁门村', at('2026-11-24 17:00')))
      .toBe('请写明督查情况。正确格式：督查 村名 [明察暗访/集中督查] 情况，例如：督查 丁门村 明察暗访 工作队在岗，台账齐全');
    expect(await chat.say('wangju', '督查 丁门村 暗访', at('2026-11-24 17:00'))).toContain('请写明督查情况');
    expect(await inspections()).toHaveLength(before);
  });

  it('takes the namesake in the leader\'s scope, and is undone by 撤销', async () => {
    // 王门村 is in 鸳鸯镇 (武山县, the leader's scope) and in 甘谷县
    expect(await chat.say('wangju', '督查 王门村 暗访 队员不在岗', at('2026-11-25 10:00'))).toContain('已记录督查：天水市武山县鸳鸯镇王门村');
    expect(await chat.say('wangju', '撤销', at('2026-11-25 10:01'))).toBe('已撤销您11月25日 10:00的督查记录，不再计入统计。');
    expect((await inspections()).pop()).toMatchObject({ kind: '明察暗访', revoked: true });
    expect(await chat.say('wangju', '日报', at('2026-11-25 20:00'))).toContain('本月未明察暗访 2/3 个村');
  });
});

describe('帮助', () => {
  it('lists 帮扶 for everyone and 督查 for leaders, whole', async () => {
    const cadre = (await chat.say('zhangwei', '帮助', at('2026-11-25 10:00')))!;
    expect(cadre).toContain('· 帮扶 户主姓名 类别 内容：记录对联系户的“六送”帮扶');
    expect(cadre).not.toContain('· 督查');
    const leader = (await chat.say('wangju', '帮助', at('2026-11-25 10:00')))!;
    expect(leader).toContain('· 督查 村名 [明察暗访/集中督查] 情况：记录督查（默认集中督查）');
    // too long with every example: each command is listed without its example
    expect(leader).toContain('· 签到 村名：到村签到\n');
    expect(leader).not.toContain('内容较多');
  });
});
