import { distanceMeters } from '../../../src/lib/geo';

describe('distanceMeters', () => {
  it('measures like the haversine reference (1° of latitude ≈ 111.2 km)', () => {
    expect(distanceMeters(34, 104.9, 35, 104.9)).toBeCloseTo(111195, -1);
    expect(distanceMeters(34.7206, 104.8912, 34.7206, 104.8912)).toBe(0);
    // 丁门村 to 王门村 (seed coordinates): 4.2 km
    expect(Math.round(distanceMeters(34.7206, 104.8912, 34.7001, 104.9302) / 100) / 10).toBe(4.2);
  });
});
