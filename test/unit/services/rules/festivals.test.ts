import { festivalDate, occurrences, recentFestival, remindingOn, type FestivalRule } from '../../../../src/services/rules/festivals';

const rule = (id: number, name: string, calendar: 'lunar' | 'solar', month: number, day: number): FestivalRule =>
  ({ id, name, calendar, month, day, remindDaysBefore: 3, enabled: true });
const FESTIVALS = [
  rule(1, '元旦', 'solar', 1, 1), rule(2, '春节', 'lunar', 1, 1), rule(3, '元宵节', 'lunar', 1, 15),
  rule(4, '端午节', 'lunar', 5, 5), rule(5, '中秋节', 'lunar', 8, 15), rule(6, '重阳节', 'lunar', 9, 9),
  rule(7, '国庆节', 'solar', 10, 1),
];
const byName = (year: number) => Object.fromEntries(occurrences(FESTIVALS, [year]).map((f) => [f.name, f.date]));

describe('festival dates vs the published calendar', () => {
  it('2026', () => {
    expect(byName(2026)).toEqual({
      元旦: '2026-01-01', 春节: '2026-02-17', 元宵节: '2026-03-03', 端午节: '2026-06-19',
      中秋节: '2026-09-25', 重阳节: '2026-10-18', 国庆节: '2026-10-01',
    });
  });

  it('2027', () => {
    expect(byName(2027)).toMatchObject({ 春节: '2027-02-06', 端午节: '2027-06-09', 中秋节: '2027-09-15' });
  });

  it('2025', () => {
    expect(festivalDate({ calendar: 'lunar', month: 1, day: 1 }, 2025)).toBe('2025-01-29');
    expect(festivalDate({ calendar: 'lunar', month: 8, day: 15 }, 2025)).toBe('2025-10-06');
  });
});

describe('reminder days', () => {
  it('reminds from remind_days_before days ahead until the day before, so a later run catches up', () => {
    expect(remindingOn(FESTIVALS, '2026-09-21')).toEqual([]);
    expect(remindingOn(FESTIVALS, '2026-09-22').map((f) => f.name)).toEqual(['中秋节']);
    expect(remindingOn(FESTIVALS, '2026-09-24').map((f) => f.name)).toEqual(['中秋节']);
    expect(remindingOn(FESTIVALS, '2026-09-25')).toEqual([]);
  });

  it('reminds in December of next January’s festival', () => {
    expect(remindingOn(FESTIVALS, '2026-12-29').map((f) => [f.name, f.date])).toEqual([['元旦', '2027-01-01']]);
  });

  it('finds the festival just past', () => {
    expect(recentFestival(FESTIVALS, '2026-09-27')).toMatchObject({ name: '中秋节', remindOn: '2026-09-22' });
    expect(recentFestival(FESTIVALS, '2026-09-25')).toBeNull();
    expect(recentFestival(FESTIVALS, '2026-11-23')).toBeNull();
  });
});
