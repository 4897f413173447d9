import fc from 'fast-check';
import { commandNames } from '../../../bots/commands';
import { createParser } from '../../../bots/parser';

const parser = createParser(commandNames());
const parse = (t: string) => parser.parse(t);

describe('parser', () => {
  it.each([
    ['签到 丁门村', '签到', '丁门村'],
    ['签到丁门村', '签到', '丁门村'],
    ['签到：丁门村', '签到', '丁门村'],
    ['签到,丁门村', '签到', '丁门村'],
    ['签到，丁门村。', '签到', '丁门村'],
    ['签到\u3000丁门村', '签到', '丁门村'],
    ['  打卡   丁门村  ', '签到', '丁门村'],
    ['到村 丁门村！', '签到', '丁门村'],
    ['簽到 丁門村', '签到', '丁门村'],
    ['签到 丁门村😀👍🏽', '签到', '丁门村'],
    ['🚩签到 丁门村', '签到', '丁门村'],
    ['签到\u200b丁门村\u0007', '签到', '丁门村'],
    ['签到 丁门村？', '签到', '丁门村'],
    ['走访 张三 谈心，了解春耕', '走访', '张三 谈心，了解春耕'],
    ['销号 Ｗ２０２６－０００３ 已修复', '销号', 'W2026-0003 已修复'],
    ['問題', '问题', ''],
    ['问题清单', '问题', ''],
    ['我的', '进度', ''],
    ['?', '帮助', ''],
    ['？', '帮助', ''],
    ['HELP', '帮助', ''],
    ['收到！！', '收到', ''],
    ['离村', '签退', ''],
    ['通知：武山县 明早开会', '通知', '武山县 明早开会'],
  ])('%j → %s %j', (text, command, args) => {
    expect(parse(text)).toEqual({ kind: 'command', command, args });
  });

  it('reads a lone number, full-width or keycap, as a pick from a numbered list', () => {
    expect(parse('2')).toEqual({ kind: 'pick', index: 2 });
    expect(parse('２')).toEqual({ kind: 'pick', index: 2 });
    expect(parse('1️⃣')).toEqual({ kind: 'pick', index: 1 });
  });

  it('explains what it did not understand and shows an example', () => {
    expect(parse('你好')).toEqual({ kind: 'error', message: '未能识别“你好”。发送“帮助”查看全部指令，例如：签到 丁门村' });
    expect(parse('')).toEqual({ kind: 'error', message: '请发送文字指令，例如：签到 丁门村。发送“帮助”查看全部指令。' });
    expect(parse('😀\u0000 ')).toMatchObject({ kind: 'error' });
    const long = parse('好'.repeat(10000));
    expect(long).toEqual({ kind: 'error', message: `未能识别“${'好'.repeat(20)}…”。发送“帮助”查看全部指令，例如：签到 丁门村` });
  });

  it('turns any string into a command or a helpful error, never an exception', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.constantFrom('签到', '走访', '销号', '通知', '?').chain((v) => fc.string({ unit: 'binary', maxLength: 50 }).map((s) => v + s)),
    );
    fc.assert(fc.property(anyText, (text) => {
      const r = parse(text);
      if (r.kind === 'error') expect(r.message.length).toBeGreaterThan(0);
      else if (r.kind === 'command') expect(commandNames().has(r.command)).toBe(true);
      else expect(Number.isInteger(r.index)).toBe(true);
    }), { numRuns: 600 });
  });

  it('is stable: normalising twice changes nothing', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
      const once = parser.normalize(text);
      expect(parser.normalize(once)).toBe(once);
    }), { numRuns: 1000 });
  });

  it('keeps no control characters, emoji or surrounding spaces in the arguments', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (junk) => {
      const r = parse(`签到 ${junk}`);
      expect(r.kind).toBe('command');
      if (r.kind !== 'command') return;
      expect(r.args).not.toMatch(/[\u0000-\u001f\u007f\p{Extended_Pictographic}]/u);
      expect(r.args).toBe(r.args.trim());
    }), { numRuns: 1000 });
  });

  it('handles a 10,000-character message quickly', () => {
    const started = Date.now();
    const r = parse(`日记 ${'村里今天修路🚧，'.repeat(1000)}`);
    expect(r.kind).toBe('command');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
