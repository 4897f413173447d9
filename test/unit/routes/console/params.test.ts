import { toPage, toRange } from '../../../../src/routes/console/params';

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

  test('pages', () => {
    expect(toPage({ page: 3, size: 20 })).toEqual({ limit: 20, offset: 40 });
  });
});
