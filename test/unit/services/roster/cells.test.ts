import { CellError, integer, optionalDate, decimal } from '../../../../src/services/roster/cells';
import { initialsOf, stageRow } from '../../../../src/services/roster/rows';
import { linkDays } from '../../../../src/services/roster';

const cells = (entries: Record<string, string | Date>) => new Map(Object.entries(entries));

describe('roster cells', () => {
  test('dates: ISO, slashes, Excel date cells and serial numbers', () => {
    expect(optionalDate(cells({ d: '2026-03-05' }), 'd')).toBe('2026-03-05');
    expect(optionalDate(cells({ d: '2026/3/5' }), 'd')).toBe('2026-03-05');
    expect(optionalDate(cells({ d: new Date(Date.UTC(2026, 2, 5)) }), 'd')).toBe('2026-03-05');
    expect(optionalDate(cells({ d: '46086' }), 'd')).toBe('2026-03-05');
    expect(optionalDate(cells({ d: '' }), 'd')).toBeNull();
    expect(() => optionalDate(cells({ d: '2026-02-30' }), 'd')).toThrow(CellError);
    expect(() => optionalDate(cells({ d: '3/5/2026' }), 'd')).toThrow('不是有效日期');
  });

  test('numbers and ranges', () => {
    expect(integer(cells({ n: '4' }), 'n', 1, 99)).toBe(4);
    expect(() => integer(cells({ n: '4.5' }), 'n', 1, 99)).toThrow(CellError);
    expect(() => integer(cells({ n: '' }), 'n', 1, 99)).toThrow('缺少n');
    expect(decimal(cells({ x: '34.7' }), 'x', 3, 54)).toBe(34.7);
    expect(() => decimal(cells({ x: 'abc' }), 'x', 3, 54)).toThrow(CellError);
  });

  test('village initials drop 村/社区', () => {
    expect(initialsOf('丁门村')).toBe('dm');
    expect(initialsOf('东村')).toBe('d');
    expect(initialsOf('果园社区')).toBe('gy');
  });

  test('a leader needs a scope; 甘肃省 means 全省', () => {
    const row = (scope: string) => ({ row: 5, cells: cells({ 账号: 'wang', 姓名: '王', 手机: '', 单位: '', 角色: '领导', 管辖范围: scope }) });
    expect(stageRow('cadres', row('')).reasons).toEqual(['领导需要填写管辖范围']);
    expect(stageRow('cadres', row('甘肃省')).values).toEqual([5, 'wang', '王', '', null, '领导', '全省', '', '', '', null, null, true]);
    expect(stageRow('cadres', row('天水市／武山县')).values[6]).toBe('天水市/武山县');
  });

  test('the import day and its year start are Shanghai dates', () => {
    expect(linkDays(new Date('2026-12-31T16:30:00Z'))).toEqual({ today: '2027-01-01', yearStart: '2027-01-01' });
  });
});
