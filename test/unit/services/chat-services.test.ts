import { distanceMeters } from '../../../src/lib/geo';
import { normalizeCode } from '../../../src/services/problems/ledger';
import { addDays, startOfShanghaiDay } from '../../../src/lib/time';

const now = new Date('2026-11-23T01:00:00Z');

describe('problem codes as people type them', () => {
  it.each([
    ['W2026-0012', 'W2026-0012'],
    ['w2026-12', 'W2026-0012'],
    ['2025-7', 'W2025-0007'],
    ['12', 'W2026-0012'],
    ['0003', 'W2026-0003'],
    ['W2026-12345', 'W2026-12345'],
  ])('%s → %s', (text, code) => expect(normalizeCode(text, now)).toBe(code));

  it.each(['路修好了', 'W26-1', '', 'W2026-', '1234567'])('%j is not a code', (text) => expect(normalizeCode(text, now)).toBeNull());

  it('numbers short codes in the Shanghai year, which starts 8 hours before UTC', () => {
    expect(normalizeCode('5', new Date('2026-12-31T16:30:00Z'))).toBe('W2027-0005');
  });
});

describe('distanceMeters', () => {
  it('measures like the haversine reference (1° of latitude ≈ 111.2 km)', () => {
    expect(distanceMeters(34, 104.9, 35, 104.9)).toBeCloseTo(111195, -1);
    expect(distanceMeters(34.7206, 104.8912, 34.7206, 104.8912)).toBe(0);
    // 丁门村 to 王门村 (seed coordinates): 4.2 km
    expect(Math.round(distanceMeters(34.7206, 104.8912, 34.7001, 104.9302) / 100) / 10).toBe(4.2);
  });
});

describe('Shanghai days', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-27', 5)).toBe('2027-01-01');
    expect(startOfShanghaiDay('2026-11-23').toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });
});
