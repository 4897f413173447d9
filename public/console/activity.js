// Visits per day / week / month, drawn with ECharts (a global from /console/vendor/echarts.min.js). The
// server sends every period of the range (quiet ones as zeros) with its label (12月第1周); the legend sits
// under the chart so it never meets the axis names on a phone.
import { api } from './api.js';
import { h, table } from './dom.js';
import { shortDate } from './range.js';

const BUCKETS = [['day', '按日'], ['week', '按周'], ['month', '按月']];
let bucket = 'week';

export async function renderActivity({ scope, from, to }) {
  const wrap = h('div', {});
  const draw = async () => {
    const data = await api('/activity', { scope: scope.id, from, to, bucket });
    const chart = h('div', { class: 'chart', id: 'activity-chart' });
    const totals = data.points.reduce((s, p) => ({ c: s.c + p.checkins, v: s.v + p.householdVisits }), { c: 0, v: 0 });
    wrap.replaceChildren(
      h('div', { class: 'toolbar' }, BUCKETS.map(([k, t]) => h('button', { class: k === bucket ? 'active' : '', onclick: () => { bucket = k; draw(); } }, t)),
        h('span', { class: 'muted' }, `${shortDate(from)}至${shortDate(to)}：进村签到 ${totals.c} 次，入户走访 ${totals.v} 次`)),
      chart,
      table([{ title: '时间', key: 'label' }, { title: '进村签到', key: 'checkins', num: true },
        { title: '入户走访', key: 'householdVisits', num: true }, { title: '参与干部', key: 'cadres', num: true }], data.points.slice().reverse()));
    requestAnimationFrame(() => {
      // SVG: crisp when printed, and its text can be measured.
      const c = window.echarts.init(chart, null, { renderer: 'svg' });
      const slant = data.points.length <= 16 && data.points.length > 4 && chart.clientWidth < 600;
      c.setOption({
        color: ['#c0392b', '#2e86de', '#27ae60'],
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0, itemGap: 12 },
        // A slanted first label reaches left of the axis: room for it.
        grid: { left: slant ? 36 : 8, right: 8, top: 36, bottom: 36, containLabel: true },
        // Every period's label when there are few enough to read (slanted on a phone), else as many as fit.
        xAxis: { type: 'category', data: data.points.map((p) => p.label),
          axisLabel: data.points.length <= 16 ? { interval: 0, rotate: slant ? 40 : 0 } : { hideOverlap: true } },
        yAxis: [{ type: 'value', name: '次数', minInterval: 1 }, { type: 'value', name: '人数', minInterval: 1 }],
        series: [
          { name: '进村签到', type: 'bar', data: data.points.map((p) => p.checkins) },
          { name: '入户走访', type: 'bar', data: data.points.map((p) => p.householdVisits) },
          { name: '参与干部', type: 'line', yAxisIndex: 1, data: data.points.map((p) => p.cadres) },
        ],
      });
      window.addEventListener('resize', () => c.resize());
    });
  };
  await draw();
  return wrap;
}
