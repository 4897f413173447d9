import { at, useChat } from '../../support/chat-harness';

const chat = useChat();

const { q } = chat;

describe('走访', () => {
  it('records a visit to a linked household with the running counts; 谈心 marks a talk', async () => {
    const reply = await chat.say('zhangwei', '走访 张三 谈心，了解春耕准备', at('2026-11-23 09:40'));
    expect(reply).toBe([
      '已记录走访：张三（武山县鸳鸯镇丁门村）',
      '时间：11月23日 09:40（谈心交流）',
      '今年已走访该户1次、1天，谈心1次；年度要求≥2次/≥7天，谈心≥2次。',
    ].join('\n'));
    const [row] = await q('SELECT household_id, village_id, talk, note FROM household_visits WHERE cadre_id = $1', [chat.seeded.cadres.zhang]);
    expect(row).toEqual({
      household_id: chat.seeded.households.zhangsan, village_id: chat.seeded.regions.dingmen, talk: true, note: '谈心，了解春耕准备',
    });
  });

  it('accepts the name glued to the note, initials and 入户', async () => {
    expect(await chat.say('zhangwei', '入户李四看望老人', at('2026-11-24 10:00'))).toContain('已记录走访：李四');
    expect(await chat.say('zhangwei', '走访 ww', at('2026-11-24 11:00'))).toContain('已记录走访：王五');
    const [{ note }] = await q("SELECT note FROM household_visits hv JOIN households h ON h.id = hv.household_id WHERE h.householder = '李四'");
    expect(note).toBe('看望老人');
  });

  it('asks which 张三 when two linked households share the name', async () => {
    const list = await chat.say('liming', '走访 张三', at('2026-11-24 10:00'));
    expect(list).toBe([
      '您有多个联系户叫“张三”，请回复序号选择：',
      '1. 张三（武山县鸳鸯镇王门村）',
      '2. 张三（武山县洛门镇西坪村）',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await chat.say('liming', '2', at('2026-11-24 10:01'))).toContain('已记录走访：张三（武山县洛门镇西坪村）');
    const [row] = await q('SELECT household_id FROM household_visits WHERE cadre_id = $1', [chat.seeded.cadres.li]);
    expect(row.household_id).toBe(chat.seeded.households.zhangsanXp);
  });

  it('refuses households the sender is not linked to, with suggestions, recording nothing', async () => {
    const before = await q('SELECT count(*)::int AS n FROM household_visits');
    expect(await chat.say('zhangwei', '走访 赵七', at('2026-11-24 12:00')))
      .toBe('在您的联系户中未找到户主“赵七”。您的联系户有：张三、李四、王五。');
    expect(await chat.say('zhangwei', '走访 张四', at('2026-11-24 12:00')))
      .toBe('在您的联系户中未找到户主“张四”。您是不是要找：张三（武山县鸳鸯镇丁门村）、李四（武山县鸳鸯镇丁门村）？');
    expect(await chat.say('wangju', '走访 张三', at('2026-11-24 12:00')))
      .toBe('您目前没有联系户，无法记录走访。如有疑问请联系本单位双联办。');
    expect(await chat.say('zhangwei', '走访', at('2026-11-24 12:00'))).toBe('请输入户主姓名。正确格式：走访 户主姓名 [内容]');
    expect(await q('SELECT count(*)::int AS n FROM household_visits')).toEqual(before);
  });
});

describe('日记 and 撤销', () => {
  it('records a diary entry tied to the open check-in', async () => {
    await chat.say('zhangwei', '签到 丁门村', at('2026-11-25 09:00'));
    expect(await chat.say('zhangwei', '日记：村里自来水入户已完成八成', at('2026-11-25 09:30')))
      .toBe('已记录民情日记（11月25日 09:30，丁门村）。今年已写日记1天。');
    expect(await chat.say('zhangwei', '日记', at('2026-11-25 09:30'))).toBe('请输入日记内容。正确格式：日记 内容');
  });

  it('undoes the latest record within the time limit, and only that one', async () => {
    expect(await chat.say('zhangwei', '撤销', at('2026-11-25 09:35'))).toBe('已撤销您11月25日 09:30的民情日记，不再计入统计。');
    expect(await chat.say('zhangwei', '撤销', at('2026-11-25 09:36')))
      .toBe('没有可撤销的记录（只能撤销10分钟内您的最近一条记录）。');
    const [d] = await q('SELECT revoked_at FROM diary_entries');
    expect(d.revoked_at).toEqual(at('2026-11-25 09:35'));
    const [v] = await q('SELECT revoked_at FROM visits WHERE cadre_id = $1', [chat.seeded.cadres.zhang]);
    expect(v.revoked_at).toBeNull();
  });

  it('an undone check-in no longer counts', async () => {
    await chat.say('zhangwei', '签退', at('2026-11-25 10:00'));
    await chat.say('zhangwei', '签到 丁门村', at('2026-11-26 09:00'));
    expect(await chat.say('zhangwei', '撤销', at('2026-11-26 09:05'))).toBe('已撤销您11月26日 09:00的签到，不再计入统计。');
    expect(await chat.say('zhangwei', '签到 丁门村', at('2026-11-26 09:06'))).toContain('本单位今年第2次进村，累计2天');
    await chat.say('zhangwei', '签退', at('2026-11-26 10:00'));
  });
});

describe('上报 / 销号 / 问题', () => {
  let code: string;

  it('opens a numbered problem with owner and deadline from the rule', async () => {
    const reply = await chat.say('zhangwei', '上报 丁门村 村道塌方需修复', at('2026-11-27 09:00'));
    code = /问题 (W2026-\d{4})/.exec(reply!)![1];
    expect(code).toBe('W2026-0001');
    expect(reply).toBe([
      '已登记问题 W2026-0001：村道塌方需修复',
      '村：天水市武山县鸳鸯镇丁门村',
      '类别：基础设施',
      '责任人：张伟（天水市交通运输局）',
      '整改期限：12月27日',
      '整改后发送“销号 W2026-0001 整改说明”。',
    ].join('\n'));
    const [p] = await q("SELECT village_id, owner_cadre_id, owner_unit_id, to_char(deadline, 'YYYY-MM-DD') AS deadline, status FROM problems");
    expect(p).toEqual({ village_id: chat.seeded.regions.dingmen, owner_cadre_id: chat.seeded.cadres.zhang,
      owner_unit_id: chat.seeded.units.traffic, deadline: '2026-12-27', status: 'open' });
    expect(await q('SELECT kind, actor_id FROM problem_events')).toEqual([{ kind: 'reported', actor_id: chat.seeded.cadres.zhang }]);
  });

  it('says what is missing, recording nothing', async () => {
    expect(await chat.say('zhangwei', '上报', at('2026-11-27 09:01'))).toBe('请输入问题描述。正确格式：上报 [村名] [类别] 问题描述');
    expect(await chat.say('zhangwei', '销号', at('2026-11-27 09:01'))).toBe('请输入问题编号。正确格式：销号 问题编号 整改说明');
    expect(await chat.say('wangju', '上报 路灯坏了', at('2026-11-27 09:01')))
      .toBe('请注明问题所在的村，例如：上报 丁门村 村道塌方需修复');
    expect(await q('SELECT count(*)::int AS n FROM problems')).toEqual([{ n: 1 }]);
  });

  it('defaults the village to the sender\'s linked village and numbers on', async () => {
    const reply = await chat.say('zhangwei', '反映 饮水管道漏水', at('2026-11-27 09:10'));
    expect(reply).toContain('已登记问题 W2026-0002：饮水管道漏水\n村：天水市武山县鸳鸯镇丁门村');
  });

  it('someone not linked to the village reports: the unit\'s 队长 owns it', async () => {
    const reply = await chat.say('sunli', '上报 丁门村 学校围墙开裂', at('2026-11-27 09:20'));
    expect(reply).toContain('责任人：赵强（天水市交通运输局）');
  });

  it('asks which village when the sender has several', async () => {
    expect(await chat.say('liming', '上报 灌溉渠淤堵', at('2026-11-27 09:30'))).toBe([
      '您联系多个村，请回复序号选择问题所在的村：',
      '1. 王门村（武山县鸳鸯镇）',
      '2. 西坪村（武山县洛门镇）',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await chat.say('liming', '2', at('2026-11-27 09:31'))).toContain('已登记问题 W2026-0004：灌溉渠淤堵\n村：天水市武山县洛门镇西坪村');
  });

  it('lists open problems for the sender\'s villages and for a leader\'s scope', async () => {
    expect(await chat.say('zhangwei', '问题', at('2026-11-27 10:00'))).toBe([
      '您联系的村共有3个未销号问题：',
      '1. W2026-0001 丁门村 村道塌方需修复（期限12月27日）',
      '2. W2026-0002 丁门村 饮水管道漏水（期限12月27日）',
      '3. W2026-0003 丁门村 学校围墙开裂（期限12月27日）',
      '整改后发送“销号 编号 整改说明”。',
    ].join('\n'));
    expect(await chat.say('wangju', '问题', at('2027-01-05 10:00'))).toContain('您管辖范围内共有4个未销号问题');
    expect(await chat.say('wangju', '问题', at('2027-01-05 10:00'))).toContain('（期限2026年12月27日，已逾期）');
    expect(await chat.say('lzlead', '问题', at('2026-11-27 10:00'))).toBe('目前没有未销号的问题。');
    expect(await chat.say('lzlead', '问题：路灯坏了', at('2026-11-27 10:00')))
      .toBe('目前没有未销号的问题。\n如需上报新问题，请发送“上报 [村名] [类别] 问题描述”。');
  });

  it('only the reporter, the owner or a leader over the village may close it', async () => {
    expect(await chat.say('liming', '销号 W2026-0001 已修复', at('2026-11-28 09:00')))
      .toBe('只有上报人、责任人或管辖该村的领导可以销号 W2026-0001。');
    expect(await chat.say('lzlead', '销号 1', at('2026-11-28 09:00')))
      .toBe('只有上报人、责任人或管辖该村的领导可以销号 W2026-0001。');
    expect(await chat.say('zhangwei', '销号 1 已铺设水泥路面', at('2026-11-28 09:00'))).toBe([
      '已销号 W2026-0001：村道塌方需修复',
      '整改说明：已铺设水泥路面',
      '销号时间：11月28日 09:00',
    ].join('\n'));
    expect(await chat.say('wangju', '销号 w2026-3 围墙已加固', at('2026-11-28 10:00'))).toContain('已销号 W2026-0003');
    expect(await chat.say('zhangwei', '销号 W2026-0001', at('2026-11-28 11:00'))).toBe('问题 W2026-0001 已于11月28日 09:00销号，无需重复操作。');
    expect(await chat.say('zhangwei', '销号 W2026-0099', at('2026-11-28 11:00'))).toBe('未找到问题 W2026-0099。发送“问题”查看未销号的问题。');
    expect(await chat.say('zhangwei', '销号 路修好了', at('2026-11-28 11:00')))
      .toBe('问题编号“路修好了”格式有误，例如：销号 W2026-0001 已修复。发送“问题”可查看编号。');
    const events = await q("SELECT kind, note FROM problem_events WHERE kind = 'closed' ORDER BY id");
    expect(events).toEqual([{ kind: 'closed', note: '已铺设水泥路面' }, { kind: 'closed', note: '围墙已加固' }]);
  });

  it('撤销 of a report revokes the problem with an event', async () => {
    await chat.say('zhangwei', '上报 丁门村 测试误报', at('2026-11-29 09:00'));
    expect(await chat.say('zhangwei', '撤销', at('2026-11-29 09:02'))).toBe('已撤销您11月29日 09:00的问题上报 W2026-0005，不再计入统计。');
    const [p] = await q("SELECT revoked_at IS NOT NULL AS revoked, status FROM problems WHERE description = '测试误报'");
    expect(p).toEqual({ revoked: true, status: 'revoked' });
    expect(await q("SELECT kind FROM problem_events WHERE kind = 'revoked'")).toHaveLength(1);
  });

  it('takes one of my villages glued to the description', async () => {
    const reply = await chat.say('liming', '上报西坪村水窖渗漏', at('2026-11-27 09:15'));
    expect(reply).toContain('：水窖渗漏\n村：天水市武山县洛门镇西坪村');
    await chat.say('liming', '撤销', at('2026-11-27 09:16'));
  });
});

describe('进度', () => {
  it('shows the year-to-date standing against every rule (the standing service\'s pace)', async () => {
    expect(await chat.say('zhangwei', '我的', at('2026-11-30 09:00'))).toBe([
      '张伟的双联进度（截至11月30日，按全年进度折算）：',
      '【联村】丁门村 今年已进村2次/累计2天，按进度应≥3次/≥27天 ✗',
      '【联户】3户，0户达到进度',
      '  · 张三 已走访1次/1天、谈心1次，按进度应≥1次/≥6天/谈心≥1次',
      '  · 李四 已走访1次/1天、谈心0次，按进度应≥1次/≥6天/谈心≥1次',
      '  · 王五 已走访1次/1天、谈心0次，按进度应≥1次/≥6天/谈心≥1次',
      '【六送】今年帮扶0次；本单位今年帮扶0次',
    ].join('\n'));
  });

  it('shows team days for a resident team member', async () => {
    expect(await chat.say('liming', '进度', at('2026-11-30 09:00'))).toContain('【驻村】驻村 已到村');
  });

  it('adds the 五个百 line when that rule set is switched on', async () => {
    await q(`UPDATE policy_rules SET value = 'true'::jsonb WHERE key = 'five_hundreds.enabled'`);
    const reply = await chat.say('zhangwei', '进度', at('2026-11-30 09:00'));
    // 2 days on site, 3 households visited, 0 diary days (the one entry was undone), 1 problem solved
    expect(reply!.split('\n').pop()).toBe('【五个百】到村2/100天，走访农户3/100户，日记0/100天，解决问题1/100个');
    await q(`UPDATE policy_rules SET value = 'false'::jsonb WHERE key = 'five_hundreds.enabled'`);
  });
});

describe('long lists', () => {
  it('lists at most 12 problems, says how many more, and stays within 2,048 bytes', async () => {
    for (let i = 0; i < 15; i++) {
      await chat.say('zhangwei', `上报 丁门村 第${i + 1}个问题：村里的路灯坏了需要尽快维修更换灯泡和线路`, at('2026-12-01 09:00'));
    }
    const reply = (await chat.say('zhangwei', '问题', at('2026-12-01 10:00')))!;
    const lines = reply.split('\n');
    expect(lines[0]).toBe('您联系的村共有16个未销号问题：');
    expect(lines.filter((l) => /^\d+\. W2026-/.test(l))).toHaveLength(12);
    expect(lines[13]).toBe('……另有4个未列出，请在管理后台查看。');
    expect(lines[14]).toBe('整改后发送“销号 编号 整改说明”。');
    expect(Buffer.byteLength(reply, 'utf8')).toBeLessThanOrEqual(2048);
  });
});
