import { requiredByNow } from '../../../../src/services/standing/cadre-standing';

const at = (s: string) => new Date(s);

describe('requiredByNow (pro-rated pace, rounded down)', () => {
  it('owes nothing at the very start of the year', () => {
    expect(requiredByNow(4, at('2026-01-01T00:00:00+08:00'))).toBe(0);
  });

  it('owes nothing on 1 January: a visit or day is owed only once a whole one is due', () => {
    expect(requiredByNow(4, at('2026-01-01T09:00:00+08:00'))).toBe(0);
    expect(requiredByNow(30, at('2026-01-01T09:00:00+08:00'))).toBe(0);
    expect(requiredByNow(220, at('2026-01-01T09:00:00+08:00'))).toBe(0);
    // 365 / 4 days: the first of 4 visits is owed from 2 April 06:00
    expect(requiredByNow(4, at('2026-04-02T05:59:00+08:00'))).toBe(0);
    expect(requiredByNow(4, at('2026-04-02T06:00:00+08:00'))).toBe(1);
  });

  it('owes half at mid-year (2 July 12:00 of a 365-day year)', () => {
    expect(requiredByNow(4, at('2026-07-02T12:00:00+08:00'))).toBe(2);
    expect(requiredByNow(30, at('2026-07-02T12:00:00+08:00'))).toBe(15);
    expect(requiredByNow(220, at('2026-07-02T12:00:00+08:00'))).toBe(110);
  });

  it('owes a household one of its two visits in early July, the second only at the end of the year', () => {
    expect(requiredByNow(2, at('2026-07-05T09:00:00+08:00'))).toBe(1);
    expect(requiredByNow(2, at('2026-12-31T23:59:00+08:00'))).toBe(1);
    expect(requiredByNow(30, at('2026-12-31T23:59:00+08:00'))).toBe(29);
  });

  it('counts a mid-year link from its start', () => {
    const since = at('2026-07-01T00:00:00+08:00');
    expect(requiredByNow(30, at('2026-07-01T00:00:00+08:00'), since)).toBe(0);
    // 1 July → 23 November: 145 days of 365 → 30 × 145/365 = 11.9 → 11
    expect(requiredByNow(30, at('2026-11-23T00:00:00+08:00'), since)).toBe(11);
    // A link starting on 1 July owes about half the annual target by 31 December.
    expect(requiredByNow(4, at('2026-12-31T23:59:00+08:00'), since)).toBe(2);
    expect(requiredByNow(2, at('2026-12-31T23:59:00+08:00'), since)).toBe(1);
  });

  it('counts a team member from their 驻村 start to the end of their stay', () => {
    const since = at('2026-07-01T00:00:00+08:00');
    const until = at('2026-10-01T00:00:00+08:00'); // the last day 30 September
    // 1 July → 1 October: 92 days of 365 → 220 × 92/365 = 55.5 → 55, however late in the year
    expect(requiredByNow(220, at('2026-12-01T00:00:00+08:00'), since, until)).toBe(55);
    expect(requiredByNow(160, at('2026-08-01T00:00:00+08:00'), since, until)).toBe(13);
  });

  it('uses Shanghai years: 31 Dec 20:00 UTC is already the new year', () => {
    expect(requiredByNow(4, at('2026-12-31T16:00:00Z'))).toBe(0);
  });
});
