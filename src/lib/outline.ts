/**
 * Plane geometry on [longitude, latitude] pairs for the console's map: small
 * areas (a township, a county), so degrees are treated as flat with the
 * longitude scaled by cos(latitude) where distances matter.
 */

export type Point = [number, number];
export type Ring = Point[];

const KM_PER_DEGREE = 111.32;

/** A regular polygon of `sides` corners `radiusKm` around a point (open ring). */
export function circleAround([lng, lat]: Point, radiusKm: number, sides = 8): Ring {
  const dLat = radiusKm / KM_PER_DEGREE;
  const dLng = dLat / Math.cos((lat * Math.PI) / 180);
  return Array.from({ length: sides }, (_, i) => {
    const a = (2 * Math.PI * i) / sides;
    return [lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)] as Point;
  });
}

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** The convex hull, counter-clockwise, as an open ring (Andrew's monotone chain). */
export function convexHull(points: Point[]): Ring {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * `subject` (any simple ring, open or closed) cut to the inside of `convex`
 * (a counter-clockwise convex ring, open): Sutherland–Hodgman. A concave
 * subject whose part inside falls apart comes back as one ring joined along
 * the clipping edges, which draws the same outline.
 */
export function clipToConvex(subject: Ring, convex: Ring): Ring {
  let out = subject[0] && subject[0][0] === subject.at(-1)![0] && subject[0][1] === subject.at(-1)![1] ? subject.slice(0, -1) : subject;
  for (let i = 0; i < convex.length && out.length > 0; i++) {
    const a = convex[i];
    const b = convex[(i + 1) % convex.length];
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j];
      const q = input[(j + 1) % input.length];
      const pIn = cross(a, b, p) >= 0;
      const qIn = cross(a, b, q) >= 0;
      if (pIn) out.push(p);
      if (pIn !== qIn) out.push(intersect(a, b, p, q));
    }
  }
  return out;
}

function intersect(a: Point, b: Point, p: Point, q: Point): Point {
  const d1 = cross(a, b, p);
  const d2 = cross(a, b, q);
  const t = d1 / (d1 - d2);
  return [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
}

/** Even-odd test of a point against a ring (open or closed). */
export function insideRing([x, y]: Point, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The ring closed (first point repeated last), as GeoJSON writes rings, rounded to about 1 m. */
export function closedRing(ring: Ring): Ring {
  const r = ring.map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5] as Point);
  return r.length > 0 ? [...r, r[0]] : r;
}
