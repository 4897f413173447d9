import {
  AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import { placeName } from '../../lib/place';
import { chineseDate } from '../../lib/time';
import type { BehindCadre, OverdueProblem, RankRow, Rankings } from './rankings';
import type { WorkFigures, WorkSummary } from './week-work';

/**
 * The 通报 as a Word document (docx, A4) in the layout of a government 通报:
 * a red header with the issuing office and a red rule, the 文号, the title,
 * the period, a summary paragraph with the figures, the rankings of the lower
 * regions and the units, the ten cadres furthest behind pace, the overdue
 * problems, and the closing line with the date. Pure: the same data gives the
 * same text (the file's own creation time aside).
 */

const ISSUER = (scope: string) => `${scope}联村联户为民富民行动协调推进领导小组办公室`;
const TITLE = (scope: string) => `关于${scope}联村联户工作情况的通报`;
const DOC_NUMBER = (scope: string, year: string, serial: string) => `${scope}双联办通〔${year}〕${serial}号`;
/** The level below a scope of each level, as the 通报 names it (a village has none). */
const CHILD_LEVEL = ['市州', '县区', '乡镇', '村', null] as const;
const ADDRESSEE = (child: string | null) => (child ? `各${child}、各帮扶单位：` : '各帮扶单位：');
const PERIOD_LINE = (from: string, to: string) => `通报时段：${from}至${to}`;
const INTRO = (scope: string, from: string, to: string) =>
  `现将${from}至${to}${scope}联村联户、为民富民工作开展情况通报如下：`;
const HEADINGS = ['一、总体情况', '二、各地排名', '三、帮扶单位排名', '四、进度滞后干部（前十名）', '五、逾期未销号问题'];
const RANK_COLUMNS = ['排名', '名称', '到村率', '入户率', '谈心率', '销号率', '必访率'];
const BEHIND_COLUMNS = ['序号', '干部', '单位', '联系户数', '滞后户数', '欠走访次数'];
const OVERDUE_COLUMNS = ['编号', '村', '问题', '责任人', '整改期限', '逾期天数'];
const NONE = '无';
const NOT_APPLICABLE = '—';
const CLOSING = '请各乡镇、各帮扶单位对照通报，查找差距，对进度滞后的干部和逾期问题逐一督促整改，确保联村联户工作取得实效。';
const SIGNATURE = (scope: string) => `${scope}双联办`;

/** 字号 in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt. */
const SIZE = { header: 52, title: 44, body: 32, table: 21, small: 24 };
const RED = 'C00000';
const FONT = { heading: '方正小标宋简体', body: '仿宋_GB2312', bold: '黑体' };
/** A4 in twentieths of a point, with the 公文 margins (37 mm top, 28 mm left). */
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 };

export interface ReportInput {
  scopeName: string;
  /** 0 province … 4 village. */
  scopeLevel: number;
  summary: WorkSummary;
  rankings: Rankings;
  /** The day the 通报 is dated (YYYY-MM-DD). */
  issuedOn: string;
}

const pct = (x: number | null) => (x === null ? NOT_APPLICABLE : `${(x * 100).toFixed(1)}%`);

function text(s: string, o: { size?: number; bold?: boolean; font?: string; color?: string } = {}): TextRun {
  return new TextRun({ text: s, size: o.size ?? SIZE.body, bold: o.bold, font: o.font ?? FONT.body, color: o.color });
}

function para(s: string, o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; size?: number; bold?: boolean; font?: string } = {}): Paragraph {
  return new Paragraph({
    alignment: o.align, spacing: { line: 560, lineRule: LineRuleType.EXACT },
    indent: o.indent ? { firstLine: 640 } : undefined,
    children: [text(s, o)],
  });
}

function grid(columns: string[], rows: string[][]): Table {
  const cell = (s: string, head: boolean) => new TableCell({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(s, { size: SIZE.table, bold: head, font: head ? FONT.bold : FONT.body })] })],
  });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c) => cell(c, true)) }),
      ...(rows.length === 0 ? [[NONE, ...columns.slice(1).map(() => '')]] : rows).map((r) => new TableRow({ children: r.map((s) => cell(s, false)) })),
    ],
  });
}

function change(now: number, before: number): string {
  if (now === before) return '与上期持平';
  return now > before ? `比上期增加${now - before}` : `比上期减少${before - now}`;
}

function summaryText(scope: string, c: WorkFigures, b: WorkFigures): string[] {
  return [
    `（一）到村开展工作。期内干部到村签到${c.checkins}次（${change(c.checkins, b.checkins)}），` +
      `到达${c.villagesReached}个村，占全部${c.villages}个村的${pct(c.villages === 0 ? null : c.villagesReached / c.villages)}（上期${b.villagesReached}个）。`,
    `（二）入户走访。期内走访农户${c.householdsVisited}户（${change(c.householdsVisited, b.householdsVisited)}）。`,
    `（三）问题台账。期内新上报问题${c.problemsOpened}个（上期${b.problemsOpened}个），销号${c.problemsClosed}个（上期${b.problemsClosed}个）。`,
    `（四）通知落实。期内${scope}发出的通知尚有${c.noticesUnacknowledged}人次未回复“收到”（上期${b.noticesUnacknowledged}人次）。`,
  ];
}

const rankRows = (rows: RankRow[]) => rows.map((r, i) => [
  String(i + 1), r.name, pct(r.villageRate), pct(r.householdRate), pct(r.talkRate), pct(r.closureRate), pct(r.mustRate),
]);
const behindRows = (rows: BehindCadre[]) => rows.map((r, i) => [
  String(i + 1), r.name, r.unitName ?? '', String(r.households), String(r.behind), String(r.owed),
]);
const overdueRows = (rows: OverdueProblem[]) => rows.map((r) => [
  r.code, placeName(r.villageFullName, 'township'), r.description, r.ownerName ?? r.ownerUnitName ?? '', chineseDate(r.deadline), String(r.daysOverdue),
]);

/** The document's paragraphs and tables, in order. */
export function reportBody(input: ReportInput): (Paragraph | Table)[] {
  const { scopeName: scope, summary, rankings: r } = input;
  const from = chineseDate(summary.period.from), to = chineseDate(summary.period.to);
  const [year, month, day] = input.issuedOn.split('-');
  const heading = (s: string) => para(s, { font: FONT.bold, indent: true });
  const note = (s: string) => para(s, { indent: true, size: SIZE.small });
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER, spacing: { after: 200 },
      children: [text(ISSUER(scope), { size: SIZE.header, font: FONT.heading, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.THICK, size: 24, color: RED, space: 6 } },
      children: [text(DOC_NUMBER(scope, year, `${month}${day}`))],
    }),
    new Paragraph({ spacing: { before: 400, after: 200 }, alignment: AlignmentType.CENTER,
      children: [text(TITLE(scope), { size: SIZE.title, font: FONT.heading })] }),
    para(PERIOD_LINE(from, to), { align: AlignmentType.CENTER }),
    para(ADDRESSEE(CHILD_LEVEL[input.scopeLevel] ?? null)),
    para(INTRO(scope, from, to), { indent: true }),
    heading(HEADINGS[0]),
    ...summaryText(scope, summary.current, summary.before).map((s) => para(s, { indent: true })),
    heading(CHILD_LEVEL[input.scopeLevel] ? `二、各${CHILD_LEVEL[input.scopeLevel]}排名` : HEADINGS[1]),
    note(`按到村率（联系单位按每年进村${r.targets.villageVisits}次、${r.targets.villageDays}天的进度）由低到高排列，其次入户率、谈心率、销号率。`),
    grid(RANK_COLUMNS, rankRows(r.regions)),
    heading(HEADINGS[2]),
    grid(RANK_COLUMNS, rankRows(r.units)),
    heading(HEADINGS[3]),
    grid(BEHIND_COLUMNS, behindRows(r.behind)),
    heading(HEADINGS[4]),
    note(`截至${chineseDate(r.asOf)}，逾期未销号问题共${r.overdue.total}个${r.overdue.total > r.overdue.rows.length ? `，列出前${r.overdue.rows.length}个` : ''}。`),
    grid(OVERDUE_COLUMNS, overdueRows(r.overdue.rows)),
    para(CLOSING, { indent: true }),
    para(SIGNATURE(scope), { align: AlignmentType.RIGHT }),
    para(chineseDate(input.issuedOn), { align: AlignmentType.RIGHT }),
  ];
}

export function reportTitle(scopeName: string): string {
  return TITLE(scopeName);
}

/** The .docx file's bytes. */
export async function reportDocx(input: ReportInput): Promise<Buffer> {
  const doc = new Document({
    creator: SIGNATURE(input.scopeName),
    title: TITLE(input.scopeName),
    sections: [{
      properties: { page: { size: A4, margin: MARGIN } },
      children: reportBody(input),
    }],
  });
  return Packer.toBuffer(doc);
}
