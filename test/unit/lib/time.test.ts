import { addDays, startOfShanghaiDay } from '../../../src/lib/time';

describe('Shanghai days', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-27', 5)).toBe('2027-01-01');
    expect(startOfShanghaiDay('2026-11-23').toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });
});
