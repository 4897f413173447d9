import type { DigestData } from './build';
import { addDays, formatDate } from '../../lib/time';
import { inspectionBlockLabel } from '../inspections/inspections';

/**
 * The digest as a WeCom markdown app message (docs/wecom.md: markdown
 * content ≤ 2048 bytes, UTF-8). Lists are cut first when the text is too long.
 */

export const MARKDOWN_MAX_BYTES = 2048;

const TITLES = { day: '双联日报', week: '双联周检查', month: '双联月小结', quarter: '双联季考评', year: '双联年考核' } as const;
const PREV = { day: '昨日', week: '上周', month: '上月', quarter: '上季度', year: '上年' } as const;
const COVERAGE = { day: '本周到村', week: '本周到村', month: '本月到村', quarter: '本季度到村', year: '全年到村' } as const;
const THIS_YEAR = '今年';
const YEAR = (year: number) => `${year}年`;

/** A 督查 block by its length in months: 本月, 本季度, … */
const BLOCK = inspectionBlockLabel;
const INSPECTIONS = (o: NonNullable<DigestData['oversight']>) =>
  `> 督查：${BLOCK(o.unannouncedMonths)}未明察暗访 ${warn(o.noUnannounced)}/${o.villages} 个村，` +
  `${BLOCK(o.centralMonths)}未集中督查 ${warn(o.noCentral)}/${o.villages} 个村`;
const TEAM_BEHIND = (n: number) => `**驻村队员进度落后（${n}人）**`;
const TEAM_LINE = (i: number, t: NonNullable<DigestData['oversight']>['team'][number]) =>
  `${i}. ${t.name}${t.villageName ? `（${t.villageName}）` : ' '}到村${t.daysOnSite}/${t.requiredOnSite}天，驻村${t.daysResident}/${t.requiredResident}天`;

const SCORES_TOP = '**考评前五名**';
const SCORES_BOTTOM = '**考评后五名**';
const SCORE_LINES = (xs: NonNullable<DigestData['assessment']>['top']) =>
  xs.map((x, i) => `${i + 1}. ${x.name}${x.unitName ? `（${x.unitName}）` : ''} ${x.total}分`);

const pct = (n: number, d: number) => (d === 0 ? '—' : `${Math.round((100 * n) / d)}%`);
const warn = (n: number) => (n > 0 ? `<font color="warning">${n}</font>` : '0');
const MUST_VISITS = (m: DigestData['mustVisits']) =>
  `> 五必访：到期 ${m.due} 件，按时走访 ${m.inTime} 件，逾期未走访 ${warn(m.overdue)} 件`;
const ATTENDANCE = (a: DigestData['attendance']) =>
  `> 五必到（通知后到村签到）：${a.map((k) => `${k.kind} ${k.attended}/${k.recipients} 人`).join('，')}`;

function periodLabel(d: DigestData): string {
  const w = d.windows;
  if (w.period === 'day') return formatDate(w.current.from);
  if (w.period === 'month') return `${Number(w.current.from.slice(5, 7))}月`;
  if (w.period === 'quarter') return `${w.key.slice(0, 4)}年第${w.key.slice(-1)}季度`;
  if (w.period === 'year') return YEAR(w.year);
  return `${formatDate(w.current.from)}—${formatDate(addDays(w.current.to, -1))}`;
}

function compare(label: string, c: DigestData['checkins'], prev: string): string {
  const extra = c.lastWeek === null ? '' : `，上周同日 ${c.lastWeek}`;
  return `> ${label} **${c.current}** 次（${prev} ${c.previous}${extra}）`;
}

/** 今年, or the year by name when the digest describes another year than the one it is sent in. */
function yearLabel(d: DigestData): string {
  return d.windows.year === Number(d.windows.today.slice(0, 4)) ? THIS_YEAR : YEAR(d.windows.year);
}

export function renderDigestMarkdown(d: DigestData): string {
  const p = d.windows.period;
  const y = yearLabel(d);
  const head = [
    `## ${d.scope.name} ${TITLES[p]} ${periodLabel(d)}`,
    compare('签到', d.checkins, PREV[p]),
    compare('入户走访', d.householdVisits, PREV[p]),
    `> ${COVERAGE[p]} **${d.villagesVisited}**/${d.villages} 个村`,
    `> ${y}已走访农户 **${d.householdsVisitedYear}**/${d.householdsLinked} 户（${pct(d.householdsVisitedYear, d.householdsLinked)}）`,
    `> 问题：新增 ${d.problems.new}，销号 ${d.problems.closed}，逾期未销号 ${warn(d.problems.overdue)}；` +
      `${y}销号率 ${pct(d.problems.closedYear, d.problems.reportedYear)}（${d.problems.closedYear}/${d.problems.reportedYear}）`,
    `> 近7天通知未回复“收到”：${warn(d.unacknowledged)} 人次`,
  ];
  if (d.festival) {
    head.push(`> ${d.festival.name}（${formatDate(d.festival.date)}）前后走访联系户 **${d.festival.visited}**/${d.festival.linked} 户`);
  }
  // Shown once there is something to report: a must-visit due or overdue, a notice sent in the period.
  if (d.mustVisits.due + d.mustVisits.overdue > 0) head.push(MUST_VISITS(d.mustVisits));
  if (d.attendance.length > 0) head.push(ATTENDANCE(d.attendance));
  if (d.oversight) head.push(INSPECTIONS(d.oversight));
  const list: string[] = [];
  if (d.assessment && d.assessment.top.length > 0) list.push(SCORES_TOP, ...SCORE_LINES(d.assessment.top));
  if (d.assessment && d.assessment.bottom.length > 0) list.push(SCORES_BOTTOM, ...SCORE_LINES(d.assessment.bottom));
  if (d.behindRegions.length > 0) {
    list.push('**联户进度落后**');
    d.behindRegions.forEach((r, i) => list.push(`${i + 1}. ${r.name} 达进度 ${r.onPace}/${r.links}（${pct(r.onPace, r.links)}）`));
  }
  if (d.behindCadres.length > 0) {
    list.push('**进度落后的干部**');
    d.behindCadres.forEach((c, i) => list.push(`${i + 1}. ${c.name} ${c.behindHouseholds}户未达进度，欠走访${c.owed}次`));
  }
  if (d.oversight && d.oversight.noUnannounced > 0) {
    list.push(`**${BLOCK(d.oversight.unannouncedMonths)}未明察暗访的村**`, d.oversight.noUnannouncedNames.join('、') +
      (d.oversight.noUnannounced > d.oversight.noUnannouncedNames.length ? ` 等${d.oversight.noUnannounced}个` : ''));
  }
  if (d.oversight && d.oversight.teamBehind > 0) {
    list.push(TEAM_BEHIND(d.oversight.teamBehind));
    d.oversight.team.forEach((t, i) => list.push(TEAM_LINE(i + 1, t)));
  }
  let lines = [...head, ...list];
  while (Buffer.byteLength(lines.join('\n')) > MARKDOWN_MAX_BYTES && lines.length > head.length) lines = lines.slice(0, -1);
  let text = lines.join('\n');
  while (Buffer.byteLength(text) > MARKDOWN_MAX_BYTES) text = text.slice(0, -1);
  return text;
}
