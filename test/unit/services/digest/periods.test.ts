import { periodWindows } from '../../../../src/services/digest/periods';
import { weekStart } from '../../../../src/lib/time';

const at = (s: string) => new Date(s);

describe('digest periods (Asia/Shanghai)', () => {
  it('day: today vs yesterday and the same weekday last week; coverage is this week so far', () => {
    const w = periodWindows(at('2026-11-25T20:00:00+08:00'), 'day');
    expect(w).toMatchObject({
      key: '2026-11-25', current: { from: '2026-11-25', to: '2026-11-26' }, previous: { from: '2026-11-24', to: '2026-11-25' },
      lastWeek: { from: '2026-11-18', to: '2026-11-19' }, coverage: { from: '2026-11-23', to: '2026-11-26' },
    });
  });

  it('uses the Shanghai date, not UTC', () => {
    expect(periodWindows(at('2026-11-25T17:00:00Z'), 'day').key).toBe('2026-11-26');
  });

  it('week/month/quarter: the last complete period', () => {
    expect(periodWindows(at('2026-11-23T08:00:00+08:00'), 'week')).toMatchObject({
      key: 'week-2026-11-16', current: { from: '2026-11-16', to: '2026-11-23' }, previous: { from: '2026-11-09', to: '2026-11-16' },
    });
    expect(periodWindows(at('2026-01-01T08:00:00+08:00'), 'month')).toMatchObject({
      key: '2025-12', current: { from: '2025-12-01', to: '2026-01-01' }, previous: { from: '2025-11-01', to: '2025-12-01' },
    });
    expect(periodWindows(at('2026-01-01T08:00:00+08:00'), 'quarter')).toMatchObject({
      key: '2025-Q4', current: { from: '2025-10-01', to: '2026-01-01' }, previous: { from: '2025-07-01', to: '2025-10-01' },
    });
    expect(periodWindows(at('2026-07-01T08:00:00+08:00'), 'quarter').key).toBe('2026-Q2');
  });

  it('year: the last complete year, sent in the first days of January', () => {
    expect(periodWindows(at('2027-01-02T08:00:00+08:00'), 'year')).toMatchObject({
      key: '2026', current: { from: '2026-01-01', to: '2027-01-01' }, previous: { from: '2025-01-01', to: '2026-01-01' },
      coverage: { from: '2026-01-01', to: '2027-01-01' }, year: 2026, asOf: '2026-12-31',
    });
  });

  it('a period describes its own year to date: the year it began, up to its last day in that year', () => {
    expect(periodWindows(at('2027-01-01T08:00:00+08:00'), 'month')).toMatchObject({ year: 2026, asOf: '2026-12-31' });
    expect(periodWindows(at('2027-01-01T08:00:00+08:00'), 'quarter')).toMatchObject({ year: 2026, asOf: '2026-12-31' });
    // Monday 2027-01-04: the week 2026-12-28 … 2027-01-03 began in 2026.
    expect(periodWindows(at('2027-01-04T08:00:00+08:00'), 'week')).toMatchObject({
      current: { from: '2026-12-28', to: '2027-01-04' }, year: 2026, asOf: '2026-12-31',
    });
    expect(periodWindows(at('2026-11-23T08:00:00+08:00'), 'week')).toMatchObject({ year: 2026, asOf: '2026-11-22' });
    expect(periodWindows(at('2027-01-01T20:00:00+08:00'), 'day')).toMatchObject({ year: 2027, asOf: '2027-01-01' });
  });

  it('finds the Monday of a week', () => {
    expect(['2026-11-22', '2026-11-23', '2026-11-29'].map(weekStart)).toEqual(['2026-11-16', '2026-11-23', '2026-11-23']);
  });
});
