import { at, useChat } from '../../support/chat-harness';

const chat = useChat();
beforeAll(async () => {
  // A little activity in 武山县 on 11月23日
  await chat.say('zhangwei', '签到 丁门村', at('2026-11-23 09:00'));
  await chat.say('zhangwei', '走访 张三 谈心', at('2026-11-23 09:30'));
  await chat.say('zhangwei', '上报 丁门村 村道塌方需修复', at('2026-11-23 09:40'));
  await chat.say('liming', '签到 王门村', at('2026-11-23 10:00'));
});

const { q } = chat;

describe('permissions', () => {
  it('refuses politely a sender not on the roster, or no longer active, and records nothing', async () => {
    const refusal = '您好，您不在双联花名册中（或已停用），暂时无法使用双联助手。如有疑问请联系本单位双联办。';
    expect(await chat.say('stranger', '签到 丁门村', at('2026-11-23 11:00'))).toBe(refusal);
    expect(await chat.say('gone01', '签到 丁门村', at('2026-11-23 11:00'))).toBe(refusal);
    expect(await q('SELECT count(*)::int AS n FROM visits')).toEqual([{ n: 2 }]);
  });

  it('matches WeCom userids case-insensitively', async () => {
    expect(await chat.say('ZhangWei', '问题', at('2026-11-23 11:00'))).toContain('共有1个未销号问题');
  });

  it('keeps leader commands for leaders, inside their scope', async () => {
    expect(await chat.say('zhangwei', '统计', at('2026-11-23 20:00'))).toBe('“统计”仅限领导使用。发送“帮助”查看您可以使用的指令。');
    expect(await chat.say('wangju', '统计 兰州市', at('2026-11-23 20:00'))).toBe('“兰州市”不在您的管辖范围（天水市武山县）内。');
    expect(await chat.say('wangju', '日报 火星县', at('2026-11-23 20:00')))
      .toBe('未找到范围“火星县”。请输入市、县区或乡镇名，例如：武山县、鸳鸯镇。');
    expect(await chat.say('lzlead', '通知 武山县 明早开会', at('2026-11-23 20:00'))).toBe('“武山县”不在您的管辖范围（兰州市）内。');
    expect(await q('SELECT count(*)::int AS n FROM notices')).toEqual([{ n: 0 }]);
    const counted = await chat.metrics.registry.getSingleMetricAsString('chat_commands_total');
    expect(counted).toContain('chat_commands_total{command="统计",result="leaders_only"} 1');
    expect(counted).toContain('chat_commands_total{command="通知",result="refused"} 1');
    expect(counted).toContain('chat_commands_total{command="签到",result="ok"} 2');
  });

  it('ignores events and answers unsupported messages', async () => {
    expect(await chat.send({ msgType: 'event', fromUser: 'zhangwei', event: 'subscribe' }, at('2026-11-23 11:00'))).toBeNull();
    expect(await chat.send({ msgType: 'voice', fromUser: 'zhangwei', mediaId: 'x' }, at('2026-11-23 11:00')))
      .toBe('暂不支持此类消息。请发送文字指令或位置，发送“帮助”查看全部指令。');
  });
});

describe('日报 and 统计', () => {
  it('gives today\'s digest for the leader\'s scope, as plain text', async () => {
    const reply = await chat.say('wangju', '日报', at('2026-11-23 20:00'));
    expect(reply).toBe([
      '武山县 双联日报 11月23日',
      '签到 2 次（昨日 0，上周同日 0）',
      '入户走访 1 次（昨日 0，上周同日 0）',
      '本周到村 2/3 个村',
      '今年已走访农户 1/5 户（20%）',
      '问题：新增 1，销号 0，逾期未销号 0；今年销号率 0%（0/1）',
      '近7天通知未回复“收到”：0 人次',
      '督查：本月未明察暗访 3/3 个村，本季度未集中督查 3/3 个村',
      '联户进度落后',
      '1. 鸳鸯镇 达进度 0/4（0%）',
      '2. 洛门镇 达进度 0/1（0%）',
      '本月未明察暗访的村',
      '鸳鸯镇丁门村、鸳鸯镇王门村、洛门镇西坪村',
      '驻村队员进度落后（2人）',
      '1. 赵强（丁门村）到村0/196天，驻村0/143天',
      '2. 李明（王门村）到村1/196天，驻村0/143天',
    ].join('\n'));
    expect(await chat.say('wangju', '日报 洛门镇', at('2026-11-23 20:00'))).toContain('洛门镇 双联日报 11月23日\n签到 0 次');
    expect(await chat.say('wangju', '日报 洛门', at('2026-11-23 20:00'))).toContain('洛门镇 双联日报 11月23日');
    expect(await chat.say('wangju', '日报 丁门村', at('2026-11-23 20:00'))).toBe([
      '天水市武山县鸳鸯镇丁门村 11月23日双联日报',
      '签到1次（1名干部）',
      '入户走访1次',
      '新上报问题1个，销号0个',
      '未销号问题1个，其中逾期0个',
    ].join('\n'));
  });

  it('gives coverage (两个全覆盖) and quota figures for a scope', async () => {
    expect(await chat.say('wangju', '统计 武山县/鸳鸯镇', at('2026-11-23 20:00'))).toBe([
      '天水市武山县鸳鸯镇双联统计（截至11月23日）',
      '联村覆盖：2/2个村有联系单位（100%）',
      '联户覆盖：4/5户有联户干部（80%）',
      '进村达标（≥4次且≥30天）：0/2个村',
      '入户达标（≥2次）：0/4户；谈心达标（≥2次）：0户',
      '问题台账：今年上报1个，销号0个（0%），未销号1个（逾期0个）',
      '六送：今年帮扶0次',
    ].join('\n'));
    const province = await chat.say('admin01', '统计', at('2026-11-23 20:00'));
    expect(province).toContain('全省双联统计');
    expect(province).toContain('联村覆盖：5/6个村有联系单位（83.3%）');
  });

  it('asks which region when a scope name is ambiguous', async () => {
    const list = await chat.say('admin01', '统计 王门村', at('2026-11-23 20:00'));
    expect(list).toBe([
      '“王门村”对应多个地方，请回复序号选择：',
      '1. 天水市武山县鸳鸯镇王门村',
      '2. 天水市甘谷县大像山镇王门村',
      '（回复序号即可，10分钟内有效）',
    ].join('\n'));
    expect(await chat.say('admin01', '2', at('2026-11-23 20:01'))).toContain('天水市甘谷县大像山镇王门村双联统计');
  });
});

describe('通知 and 收到', () => {
  it('sends a notice to every cadre linked to a village in the scope and to its groups, through the outbox', async () => {
    const reply = await chat.say('wangju', '通知 武山县 明早8点前到村排查汛情', at('2026-11-23 20:10'));
    expect(reply).toBe('已向天水市武山县发出紧急通知：联系干部3人，工作群1个。对方回复“收到”即为确认，未确认的会自动提醒；11月24日 20:10前在范围内到村签到计为到场。');
    const recipients = await q('SELECT c.userid FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id ORDER BY c.userid');
    // 交通局 (丁门村) 张伟 and 赵强, 农业局 (王门村, 西坪村) 李明; not 孙丽 (甘谷县), not the inactive cadre
    expect(recipients.map((r: { userid: string }) => r.userid)).toEqual(['liming', 'zhangwei', 'zhaoqiang']);
    const outbox = await q('SELECT idempotency_key, channel, recipient, payload FROM outbox_messages ORDER BY id');
    expect(outbox).toHaveLength(2);
    expect(outbox[0]).toMatchObject({ idempotency_key: expect.stringMatching(/^notice:\d+$/), channel: 'app' });
    expect(outbox[0].recipient.split('|').sort()).toEqual(['liming', 'zhangwei', 'zhaoqiang']);
    // A button card (test/integration/taps/notice-cards.test.ts), with the text it becomes if WeCom refuses cards.
    expect(outbox[0].payload.msgtype).toBe('template_card');
    expect(outbox[0].payload.fallback.text.content).toBe('【紧急通知】明早8点前到村排查汛情\n——王局长\n请回复“收到”确认。');
    expect(outbox[1]).toMatchObject({ channel: 'robot', idempotency_key: expect.stringMatching(/^notice:\d+:group:\d+$/) });
    // The group's robot cannot take a reply: markdown that says where to answer.
    expect(outbox[1].payload).toEqual({ msgtype: 'markdown', markdown: { content: [
      '**【紧急通知】**', '明早8点前到村排查汛情', '> 范围：天水市武山县', '> 发送人：王局长',
      '<font color="warning">请在企业微信“双联助手”应用中回复“收到”确认，在群里回复不计入。</font>',
    ].join('\n') } });
    expect(JSON.stringify(outbox)).not.toContain('robot-key-wushan');
  });

  it('reaches a cadre linked only through a household', async () => {
    await q(`INSERT INTO cadre_household_links (cadre_id, household_id, valid_from)
             SELECT $1, id, '2026-01-01' FROM households WHERE householder = '赵七'`, [chat.seeded.cadres.sun]);
    expect(await chat.say('wangju', '通知 鸳鸯镇 明天检查', at('2026-11-23 20:20'))).toContain('联系干部4人');
  });

  it('收到 acknowledges the latest notice to me', async () => {
    expect(await chat.say('zhangwei', '收到', at('2026-11-23 20:30'))).toBe('已确认收到王局长的通知：“明天检查”');
    expect(await chat.say('zhangwei', '收到！', at('2026-11-23 20:31'))).toBe('已确认收到王局长的通知：“明早8点前到村排查汛情”');
    expect(await chat.say('zhangwei', '收到', at('2026-11-23 20:32'))).toBe('目前没有需要回复“收到”的通知。');
    const acked = await q('SELECT count(*)::int AS n FROM notice_recipients WHERE acked_at IS NOT NULL');
    expect(acked).toEqual([{ n: 2 }]);
  });

  it('needs both a scope and a text', async () => {
    expect(await chat.say('wangju', '通知 武山县', at('2026-11-23 20:40')))
      .toBe('请输入范围和通知内容，中间用空格隔开。正确格式：通知 范围 [类别] 内容');
  });

  it('never counts the sender among the recipients, even when linked to a village in the scope', async () => {
    await q('UPDATE cadres SET unit_id = $1 WHERE id = $2', [chat.seeded.units.traffic, chat.seeded.cadres.leader]);
    try {
      expect(await chat.say('wangju', '通知 鸳鸯镇 今晚值班', at('2026-11-23 20:50'))).toContain('联系干部4人');
      const [{ recipients }] = await q(
        `SELECT array_agg(c.userid ORDER BY c.userid) AS recipients FROM notice_recipients nr JOIN cadres c ON c.id = nr.cadre_id
          WHERE nr.notice_id = (SELECT max(id) FROM notices)`);
      expect(recipients).toEqual(['liming', 'sunli', 'zhangwei', 'zhaoqiang']);
    } finally {
      await q('UPDATE cadres SET unit_id = NULL WHERE id = $1', [chat.seeded.cadres.leader]);
    }
  });
});

describe('帮助', () => {
  it('lists the commands; leaders also see theirs', async () => {
    const cadre = await chat.say('zhangwei', '？', at('2026-11-23 20:00'));
    expect(cadre).toContain('· 签到 村名：到村签到，例如：签到 丁门村');
    expect(cadre).not.toContain('领导专用');
    const leader = await chat.say('wangju', '帮助', at('2026-11-23 20:00'));
    expect(leader).toContain('领导专用：\n· 日报 [范围]');
    expect(Buffer.byteLength(leader!, 'utf8')).toBeLessThanOrEqual(2048);
  });
});
