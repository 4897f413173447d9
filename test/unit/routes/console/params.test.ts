import { z } from 'zod';
import { idParam, MAX_ID, rangeParams, toPage, toRange } from '../../../../src/routes/console/params';

describe('console query parameters', () => {
  const now = new Date('2026-03-01T17:30:00Z'); // 2 March 01:30 in Shanghai

  test('a date range is Shanghai days with `to` inclusive', () => {
    const r = toRange({ from: '2026-02-01', to: '2026-02-28' }, now);
    expect(r.from.toISOString()).toBe('2026-01-31T16:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  test('defaults: 1 January of the Shanghai year up to and including today', () => {
    const r = toRange({}, now);
    expect(r.from.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-03-02T16:00:00.000Z');
  });

  test('`from` after `to` is a 400 naming `from`; one day is a range', () => {
    expect(() => toRange({ from: '2026-03-02', to: '2026-03-01' }, now)).toThrow(expect.objectContaining({ status: 400, field: 'from' }));
    expect(toRange({ from: '2026-03-01', to: '2026-03-01' }, now).to.toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  test('pages', () => {
    expect(toPage({ page: 3, size: 20 })).toEqual({ limit: 20, offset: 40 });
  });
});

describe('dates', () => {
  const range = z.object(rangeParams);
  test('a real day of 2000–2099', () => {
    expect(range.safeParse({ from: '2024-02-29', to: '2099-12-31' }).success).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '0000-01-01', '1999-12-31', '2100-01-01', '2026-1-1', 'today']) {
      expect([bad, range.safeParse({ from: bad }).success]).toEqual([bad, false]);
    }
  });
});

describe('ids', () => {
  test('a positive 32-bit integer, as digits or a JSON number', () => {
    expect(idParam.parse('1')).toBe(1);
    expect(idParam.parse(String(MAX_ID))).toBe(MAX_ID);
    expect(idParam.parse(42)).toBe(42);
  });

  test('anything PostgreSQL\'s integer cannot hold, or that is not plainly an id, is refused', () => {
    for (const bad of ['2147483648', '99999999999999999999', '0', '-1', '1.5', '1e3', '0x10', ' 1', '1 ', '', 'abc', '01', '１',
      'NaN', 'Infinity', 2147483648, 1.5, -3, ['1', '2'], {}, null, true]) {
      expect([bad, idParam.safeParse(bad).success]).toEqual([bad, false]);
    }
  });
});
