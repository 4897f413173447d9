import { normalizeCode } from '../../../../src/services/problems/ledger';

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
