// 地图: the scope's villages at their roster coordinates, coloured by whether a
// linked unit (联村) checked in within the range, over the county boundaries
// shipped with the app and township outlines derived from the villages. Drawn
// with ECharts' geo component from registerMap: no online map tiles.
import { api } from './api.js';
import { h } from './dom.js';

const STATUSES = {
  checkin: [
    ['checked', '联村单位已到村签到', '#27ae60'],
    ['idle', '联村单位未到村签到', '#e67e22'],
    ['unlinked', '无联村单位', '#95a5a6'],
  ],
  pace: [
    ['onPace', '联村进度达标', '#27ae60'],
    ['behind', '联村进度滞后', '#c0392b'],
    ['unlinked', '无联村单位', '#95a5a6'],
  ],
};
const COLOURINGS = [['checkin', '按期间签到'], ['pace', '按全年进度']];
let by = 'checkin';
const APPROXIMATE = '县区边界随应用提供；乡镇边界由各村坐标推算，仅为示意。点击村庄打开该村页面。';
const NO_VILLAGES = '该范围内没有带坐标的村。';

/** 2026-12-07 → 2026年12月7日 */
const cnDate = (d) => { const [y, m, day] = d.split('-').map(Number); return `${y}年${m}月${day}日`; };

/** Opens a village's page, keeping the rest of the hash (scope, dates). */
function openVillage(id) {
  const p = new URLSearchParams(location.hash.slice(1));
  p.set('tab', 'village');
  p.set('id', id);
  location.hash = p.toString();
}

/** One GeoJSON for registerMap: the counties first, then the township outlines drawn over them. */
function outlines(d) {
  const feature = (kind, o) => ({ type: 'Feature', properties: { name: `${kind}:${o.id}`, label: o.name }, geometry: o.geometry });
  return { type: 'FeatureCollection', features: [...d.counties.map((c) => feature('county', c)), ...d.townships.map((t) => feature('township', t))] };
}

/** [[west, north], [east, south]] around everything drawn, so an empty map still has a frame. */
function bounds(d) {
  const xs = [];
  const ys = [];
  const walk = (c) => (typeof c[0] === 'number' ? (xs.push(c[0]), ys.push(c[1])) : c.forEach(walk));
  for (const o of [...d.counties, ...d.townships]) walk(o.geometry.coordinates);
  for (const v of d.villages) { xs.push(v.lng); ys.push(v.lat); }
  return [[Math.min(...xs), Math.max(...ys)], [Math.max(...xs), Math.min(...ys)]];
}

export async function renderMap(props) {
  const wrap = h('div', { 'data-section': 'map' });
  const draw = async () => {
    const parts = await mapView(props, () => draw());
    const old = wrap.querySelector('#map-chart');
    if (old) window.echarts.getInstanceByDom(old)?.dispose();
    wrap.replaceChildren(...parts);
  };
  await draw();
  return wrap;
}

async function mapView({ scope, from, to }, redraw) {
  const d = await api('/map', { scope: scope.id, from, to, by });
  const statuses = STATUSES[d.by];
  const townName = new Map(d.townships.map((t) => [t.id, t.name]));
  const summary = statuses.map(([k, text]) => `${text} ${d.counts[k]} 个村`).join('，');
  const when = d.by === 'pace' ? `${d.to.slice(0, 4)}年全年进度（截至今日）` : `${cnDate(d.from)}至${cnDate(d.to)}`;
  const chart = h('div', { class: 'chart map', id: 'map-chart', 'data-villages': d.villages.length });
  const parts = [
    h('div', { class: 'toolbar' }, COLOURINGS.map(([k, t]) => h('button', { class: k === by ? 'active' : '', 'data-by': k, onclick: () => { by = k; redraw(); } }, t))),
    h('p', {}, `${when}：${summary}${d.unplaced ? `；另有 ${d.unplaced} 个村未登记坐标` : ''}。`),
    d.villages.length === 0 ? h('p', { class: 'muted' }, NO_VILLAGES) : chart,
    h('p', { class: 'muted' }, APPROXIMATE),
  ];
  if (d.villages.length === 0) return parts;

  requestAnimationFrame(() => {
    const echarts = window.echarts;
    const mapName = `scope-${scope.id}`;
    echarts.registerMap(mapName, outlines(d));
    const c = echarts.init(chart);
    const esc = echarts.format.encodeHTML;
    const label = (name) => {
      const [kind, id] = name.split(':');
      return (kind === 'county' ? d.counties : d.townships).find((o) => String(o.id) === id)?.name ?? '';
    };
    c.setOption({
      tooltip: {
        trigger: 'item',
        formatter: (p) => (p.seriesType === 'scatter'
          ? `${esc(p.data.name)}（${esc(townName.get(p.data.townshipId) ?? '')}）<br/>${esc(p.seriesName)}`
          : esc(label(p.name))),
      },
      legend: { top: 0, data: statuses.map(([, text]) => text) },
      geo: {
        map: mapName,
        roam: true,
        boundingCoords: bounds(d),
        top: 36, bottom: 10, left: 10, right: 10,
        label: { show: false, color: '#3d6b8c', fontSize: 12, formatter: (p) => label(p.name) },
        itemStyle: { areaColor: '#f7f4ee', borderColor: '#7f8c8d', borderWidth: 1.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#efe7da' } },
        regions: d.townships.map((t) => ({
          name: `township:${t.id}`,
          itemStyle: { areaColor: 'rgba(52, 152, 219, 0.06)', borderColor: '#5d8aa8', borderWidth: 0.8, borderType: 'dashed' },
          label: { show: d.townships.length <= 40 },
        })),
        tooltip: { show: true },
      },
      series: statuses.map(([k, text, color]) => ({
        type: 'scatter',
        name: text,
        coordinateSystem: 'geo',
        symbolSize: d.villages.length > 2000 ? 4 : 9,
        itemStyle: { color, borderColor: '#fff', borderWidth: d.villages.length > 2000 ? 0 : 1 },
        emphasis: { scale: 1.6 },
        cursor: 'pointer',
        data: d.villages.filter((v) => v.status === k).map((v) => ({ name: v.name, value: [v.lng, v.lat], id: v.id, townshipId: v.townshipId })),
      })),
    });
    c.on('click', (p) => { if (p.seriesType === 'scatter') openVillage(p.data.id); });
    window.addEventListener('resize', () => c.resize());
  });
  return parts;
}
