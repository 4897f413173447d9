import { placeName } from '../../../src/lib/place';
import { formatDate, formatShanghai } from '../../../src/lib/time';

describe('placeName', () => {
  it('writes a region path as officials do, without slashes or the province', () => {
    expect(placeName('甘肃省/天水市/武山县/鸳鸯镇/丁门村')).toBe('天水市武山县鸳鸯镇丁门村');
    expect(placeName('甘肃省/天水市/武山县/鸳鸯镇/丁门村', 'county')).toBe('武山县鸳鸯镇丁门村');
    expect(placeName('甘肃省/天水市/武山县')).toBe('天水市武山县');
    expect(placeName('甘肃省')).toBe('甘肃省');
  });
});

describe('dates in another year', () => {
  it('show their year', () => {
    const now = new Date('2026-12-10T09:00:00+08:00');
    expect(formatDate('2027-01-06', now)).toBe('2027年1月6日');
    expect(formatDate('2026-12-27', now)).toBe('12月27日');
    expect(formatShanghai(new Date('2027-01-06T09:05:00+08:00'), now)).toBe('2027年1月6日 09:05');
  });
});
