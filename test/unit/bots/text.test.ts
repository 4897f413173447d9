import fc from 'fast-check';
import { fitReply, formatDistance, villageWithPlace } from '../../../bots/text';
import { placeName } from '../../../src/lib/place';
import { formatDuration, formatShanghai, shanghaiDate, shanghaiYearRange } from '../../../src/lib/time';

describe('fitReply', () => {
  it('leaves short replies alone and cuts long ones at a line, saying so, within 2048 bytes', () => {
    expect(fitReply('已签到')).toBe('已签到');
    const long = Array.from({ length: 200 }, (_, i) => `${i + 1}. W2026-${String(i).padStart(4, '0')} 丁门村 村道塌方需修复`).join('\n');
    const cut = fitReply(long);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('\n…（内容较多，已省略）')).toBe(true);
    expect(cut.startsWith('1. W2026-0000')).toBe(true);
  });

  it('always fits, never splits a character, whatever the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => {
      const out = fitReply(s);
      expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(2048);
      expect(out).not.toMatch(/\p{Cs}/u);
    }), { numRuns: 300 });
    expect(fitReply('好'.repeat(5000)).startsWith('好'.repeat(600))).toBe(true);
  });
});

describe('formats', () => {
  it('shows places, distances, times and durations as replies do', () => {
    expect(placeName('甘肃省/天水市/武山县/鸳鸯镇/丁门村')).toBe('天水市武山县鸳鸯镇丁门村');
    expect(villageWithPlace('甘肃省/天水市/武山县/鸳鸯镇/丁门村')).toBe('丁门村（武山县鸳鸯镇）');
    expect(formatDistance(850.4)).toBe('850米');
    expect(formatDistance(3000)).toBe('3公里');
    expect(formatDistance(13411)).toBe('13.4公里');
    expect(formatShanghai(new Date('2026-11-23T01:05:00Z'))).toBe('11月23日 09:05');
    expect(formatDuration(135)).toBe('2小时15分钟');
    expect(formatDuration(40)).toBe('40分钟');
    expect(formatDuration(120)).toBe('2小时');
  });

  it('uses Shanghai calendar days and years', () => {
    expect(shanghaiDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    const y = shanghaiYearRange(new Date('2026-12-31T16:30:00Z'));
    expect(y.from.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(y.to.toISOString()).toBe('2027-12-31T16:00:00.000Z');
  });
});
