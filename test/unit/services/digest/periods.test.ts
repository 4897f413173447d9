import { periodWindows, weekStart } from '../../../../src/services/digest/periods';

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

  it('finds the Monday of a week', () => {
    expect(['2026-11-22', '2026-11-23', '2026-11-29'].map(weekStart)).toEqual(['2026-11-16', '2026-11-23', '2026-11-23']);
  });
});
