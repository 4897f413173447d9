import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { circleAround, clipToConvex, closedRing, convexHull, type Point, type Ring } from '../../lib/outline';
import { projectRoot } from '../../lib/project-root';

/**
 * The outlines the console's map draws. Counties come from the boundary file
 * shipped with the app (public/console/geo/gansu-counties.json, extracted by
 * scripts/extract-gansu-counties.mjs; GCJ-02 like the roster's coordinates).
 * Townships have no open boundary data: each is approximated from its own
 * villages, as the convex hull of a 1.5 km circle around each village, cut to
 * its county's boundary when the county has one.
 */

export interface Polygonal {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}

interface CountyFeature {
  type: 'Feature';
  properties: { adcode: string; name: string; city: string };
  geometry: Polygonal;
}

/** Around each village: a township outline keeps every one of its villages inside, with room for the dot. */
const VILLAGE_MARGIN_KM = 1.5;

export const COUNTY_FILE = join(projectRoot(), 'public', 'console', 'geo', 'gansu-counties.json');

/** A county name without its kind (华亭县, 华亭市 → 华亭), for names that changed with the county's status. */
const stem = (name: string) => name.replace(/(自治县|县|市|区)$/, '');

interface CountyIndex { byCityAndName: Map<string, CountyFeature>; byName: Map<string, CountyFeature[]>; byStem: Map<string, CountyFeature[]> }

let counties: CountyIndex | null = null;

/** The shipped county boundaries, read once: the file only changes with a deploy. */
function countyIndex(): CountyIndex {
  if (!counties) {
    const fc = JSON.parse(readFileSync(COUNTY_FILE, 'utf8')) as { features: CountyFeature[] };
    const group = (key: (f: CountyFeature) => string) => {
      const by = new Map<string, CountyFeature[]>();
      for (const f of fc.features) (by.get(key(f)) ?? by.set(key(f), []).get(key(f))!).push(f);
      return by;
    };
    counties = {
      byCityAndName: new Map(fc.features.map((f) => [`${f.properties.city}/${f.properties.name}`, f])),
      byName: group((f) => f.properties.name),
      byStem: group((f) => `${f.properties.city}/${stem(f.properties.name)}`),
    };
  }
  return counties;
}

/**
 * A county's shipped boundary from its full name (甘肃省/天水市/武山县): by city
 * and county name; else by the county name alone when only one county has it
 * (a city written otherwise on the roster); else by the name without 县/市/区
 * in the same city (华亭县 became 华亭市 in 2018). Null when none matches.
 */
export function countyBoundary(fullName: string): { adcode: string; geometry: Polygonal } | null {
  const [, city, county] = fullName.split('/');
  const index = countyIndex();
  const one = (list?: CountyFeature[]) => (list?.length === 1 ? list[0] : undefined);
  const f = index.byCityAndName.get(`${city}/${county}`) ?? one(index.byName.get(county)) ?? one(index.byStem.get(`${city}/${stem(county ?? '')}`));
  return f ? { adcode: f.properties.adcode, geometry: f.geometry } : null;
}

/** Outer rings of a Polygon or MultiPolygon (holes are left out of the cut). */
function outerRings(g: Polygonal): Ring[] {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Point[][][];
  return polys.map((p) => p[0]);
}

/**
 * The approximate outline of a township from its villages' [lng, lat] points,
 * cut to `county` when given; null without a village position. When the cut
 * leaves nothing (villages placed outside their county), the uncut outline.
 */
export function townshipOutline(points: Point[], county: Polygonal | null): Polygonal | null {
  if (points.length === 0) return null;
  const hull = convexHull(points.flatMap((p) => circleAround(p, VILLAGE_MARGIN_KM)));
  const cut = county ? outerRings(county).map((r) => clipToConvex(r, hull)).filter((r) => r.length >= 3) : [];
  if (cut.length === 0) return { type: 'Polygon', coordinates: [closedRing(hull)] };
  return cut.length === 1
    ? { type: 'Polygon', coordinates: [closedRing(cut[0])] }
    : { type: 'MultiPolygon', coordinates: cut.map((r) => [closedRing(r)]) };
}
