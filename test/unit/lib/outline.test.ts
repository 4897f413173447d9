import { circleAround, clipToConvex, closedRing, convexHull, insideRing, type Point } from '../../../src/lib/outline';

/** The plane geometry behind the console map's township outlines (src/lib/outline.ts). */

test('the convex hull leaves out inner and collinear points, counter-clockwise', () => {
  const hull = convexHull([[0, 0], [2, 0], [1, 0], [2, 2], [0, 2], [1, 1], [0.5, 1.5]]);
  expect(hull).toEqual([[0, 0], [2, 0], [2, 2], [0, 2]]);
  expect(convexHull([[1, 1]])).toEqual([[1, 1]]);
});

test('a circle around a point keeps its radius in kilometres, wider in degrees of longitude', () => {
  const ring = circleAround([104.9, 34.7], 1.5, 8);
  expect(ring).toHaveLength(8);
  expect(ring[0][0] - 104.9).toBeCloseTo(1.5 / 111.32 / Math.cos((34.7 * Math.PI) / 180), 6);
  expect(ring[2][1] - 34.7).toBeCloseTo(1.5 / 111.32, 6);
  expect(insideRing([104.9, 34.7], ring)).toBe(true);
});

test('a concave subject cut to a convex window keeps what lies inside both', () => {
  // a U open at the top, cut to the band 1 ≤ y ≤ 2: the two arms' pieces
  const u: Point[] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]];
  const band: Point[] = [[-1, 1.5], [4, 1.5], [4, 2], [-1, 2]];
  const cut = clipToConvex(u, band);
  expect(insideRing([0.5, 1.75], cut)).toBe(true);
  expect(insideRing([2.5, 1.75], cut)).toBe(true);
  expect(insideRing([0.5, 0.5], cut)).toBe(false);
  for (const [, y] of cut) expect(y >= 1.5 && y <= 2).toBe(true);
  // nothing in common: empty
  expect(clipToConvex(u, [[10, 10], [11, 10], [11, 11], [10, 11]])).toEqual([]);
});

test('a ring is closed and rounded to five decimals for GeoJSON', () => {
  expect(closedRing([[1.234567, 2], [3, 4.000001], [5, 6]])).toEqual([[1.23457, 2], [3, 4], [5, 6], [1.23457, 2]]);
});
