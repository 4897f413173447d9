import { readFileSync } from 'node:fs';
import { COUNTY_FILE, countyBoundary, townshipOutline } from '../../../../src/services/console/map-outlines';
import { insideRing, type Point } from '../../../../src/lib/outline';

/** The shipped county boundaries as the console map finds them, and township outlines cut to them. */

test('every county of the file is found by its city and name; 86 counties and 嘉峪关市 under 14 cities', () => {
  const file = JSON.parse(readFileSync(COUNTY_FILE, 'utf8')) as { features: { properties: { adcode: string; name: string; city: string } }[] };
  expect(file.features).toHaveLength(87);
  expect(new Set(file.features.map((f) => f.properties.city)).size).toBe(14);
  for (const { properties: p } of file.features) {
    expect(countyBoundary(`甘肃省/${p.city}/${p.name}`)?.adcode).toBe(p.adcode);
  }
});

test('a county written otherwise on the roster: another city name, or 市 for 县', () => {
  expect(countyBoundary('甘肃省/天水市/武山县')?.adcode).toBe('620524');
  expect(countyBoundary('甘肃省/临夏州/东乡族自治县')?.adcode).toBe('622926');
  expect(countyBoundary('甘肃省/平凉市/华亭市')?.adcode).toBe('620824');
  expect(countyBoundary('甘肃省/兰州市/新安区')).toBeNull();
});

test('a township outline holds its villages, inside the county, and falls back to the hull outside it', () => {
  const wushan = countyBoundary('甘肃省/天水市/武山县')!.geometry;
  const villages: Point[] = [[104.8912, 34.7215], [104.9033, 34.7301], [104.86, 34.66]];
  const outline = townshipOutline(villages, wushan)!;
  expect(outline.type).toBe('Polygon');
  const ring = (outline.coordinates as Point[][])[0];
  for (const v of villages) expect(insideRing(v, ring)).toBe(true);
  // villages far from the county (a wrong coordinate) still get an outline: the uncut hull
  const far = townshipOutline([[110, 30]], wushan)!;
  expect(insideRing([110, 30], (far.coordinates as Point[][])[0])).toBe(true);
  expect(townshipOutline([], wushan)).toBeNull();
});
