import { requiredByNow } from '../../../../src/services/standing/cadre-standing';

const at = (s: string) => new Date(s);

describe('requiredByNow (pro-rated pace)', () => {
  it('owes nothing at the very start of the year', () => {
    expect(requiredByNow(4, at('2026-01-01T00:00:00+08:00'))).toBe(0);
  });

  it('owes a fraction after the first minute, rounded up', () => {
    expect(requiredByNow(4, at('2026-01-01T00:01:00+08:00'))).toBe(1);
  });

  it('owes half at mid-year (2 July 12:00 of a 365-day year)', () => {
    expect(requiredByNow(4, at('2026-07-02T12:00:00+08:00'))).toBe(2);
    expect(requiredByNow(30, at('2026-07-02T12:00:00+08:00'))).toBe(15);
    expect(requiredByNow(220, at('2026-07-02T12:00:00+08:00'))).toBe(110);
  });

  it('owes the full target at the end of the year', () => {
    expect(requiredByNow(30, at('2026-12-31T23:59:00+08:00'))).toBe(30);
    expect(requiredByNow(2, at('2026-12-31T23:59:00+08:00'))).toBe(2);
  });

  it('counts a mid-year link from its start', () => {
    const since = at('2026-07-01T00:00:00+08:00');
    expect(requiredByNow(30, at('2026-07-01T00:00:00+08:00'), since)).toBe(0);
    // 1 July → 23 November: 145 days of 365 → 30 × 145/365 = 11.9 → 12
    expect(requiredByNow(30, at('2026-11-23T00:00:00+08:00'), since)).toBe(12);
    // A link starting on 1 July owes about half the annual target by 31 December.
    expect(requiredByNow(4, at('2026-12-31T23:59:00+08:00'), since)).toBe(3);
    expect(requiredByNow(2, at('2026-12-31T23:59:00+08:00'), since)).toBe(2);
  });

  it('uses Shanghai years: 31 Dec 20:00 UTC is already the new year', () => {
    expect(requiredByNow(4, at('2026-12-31T16:00:00Z'))).toBe(0);
  });
});
