// What a cadre without a leading role sees: their own check-ins and problems.
import { api } from './api.js';
import { h, stamp, table } from './dom.js';

const STATUS = { open: '未销号', closed: '已销号' };

export async function renderMine() {
  const d = await api('/mine');
  return h('div', { class: 'panel' },
    h('p', {}, '控制台的统计数据仅对领导和双联办开放。以下是您本人的记录；签到请使用 ', h('a', { href: '/h5/checkin' }, 'H5签到页'), ' 或在应用聊天中发送“签到 村名”。'),
    h('h3', {}, `今年进村签到 ${d.visitsThisYear} 次（最近 ${d.visits.length} 次）`),
    table([{ title: '村', key: 'village' }, { title: '签到', render: (r) => stamp(r.startedAt) }, { title: '签退', render: (r) => stamp(r.endedAt) },
      { title: '定位核验', render: (r) => (r.verified ? '是' : '否') },
      { title: '照片', render: (r) => h('span', { class: 'photos' }, (r.photos || []).map((ph) =>
        h('a', { href: ph.url, target: '_blank' }, h('img', { src: ph.thumbUrl, alt: '签到照片', loading: 'lazy' })))) }], d.visits),
    h('h3', {}, '我上报或负责的问题'),
    table([{ title: '编号', key: 'code' }, { title: '村', key: 'village' }, { title: '问题', key: 'description' },
      { title: '期限', key: 'deadline' }, { title: '状态', render: (r) => STATUS[r.status] }], d.problems));
}
