import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { Cadre, Region, type MustVisitKind } from '../../entities';
import type { Logger } from '../lib/logger';
import { isLeader, isTeamMember } from '../services/people/cadres';
import { linkedHouseholds, linkedVillages } from '../services/people/links';
import { checkIn, checkOut } from '../services/visits/village-checkins';
import { recordHouseholdVisit } from '../services/visits/household-visits';
import { addDiaryEntry } from '../services/visits/diary';
import { HELP_KINDS, MONEY_KIND, recordHelpAct } from '../services/aid/help-acts';
import { reportMustVisit } from '../services/must-visits/events';
import { importMassRatings, setLeaderRating } from '../services/assessment/ratings';
import { parsePeriod, quarterOf } from '../services/assessment/scheme';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../lib/time';

/**
 * Demo mode: a scored quarter. Right after the demo roster is loaded into an
 * empty database, every cadre's work of the last finished quarter of this
 * year (in the first quarter, the quarter so far) is recorded through the same
 * services the chat uses — check-ins (a team member's with nights at the
 * village), household visits and talks, 民情日记, 六送 acts, 五必访 reports and
 * the visits that close them — each at its own past time, so every count is
 * kept as in real use. Then the leaders give some 领导评议 and a sheet of 群众评议
 * is imported, so the console's 考评 tab opens on ranked results with their
 * breakdowns. The amounts vary by cadre (a fixed pseudo-random sequence), so
 * the ranks differ; nothing is sent to anyone.
 */

/** What the demo's acts say (what users read in the console and exports). */
const VISIT_NOTES = ['了解家庭收入和春耕准备', '查看住房安全情况', '宣讲惠民政策', '了解孩子上学情况', '询问看病报销情况'];
const TALK_NOTES = ['谈心 了解家庭困难和打算', '谈心 交流产业发展想法'];
const DIARY_NOTES = ['今天入户走访，群众反映村道需要硬化', '村里自来水入户进展顺利', '和村两委商量产业项目', '参加村民代表大会，讨论合作社分红'];
const HELP_NOTES: Record<string, string> = {
  送政策: '讲解低保和医疗救助政策', 送项目: '协调庭院经济项目', 送资金: '产业补助2000元', 送技术: '讲解果树修剪技术',
  送信息: '介绍县城务工岗位', 送温暖: '送去米面油',
};
const MUST_VISIT_KINDS: MustVisitKind[] = ['生病住院', '婚丧嫁娶', '生活困难'];

const HOUR = 3_600_000;

/** mulberry32: the same sequence on every start, different per cadre. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The quarter the demo scores: the last finished one of this year, else (January–March) the quarter so far. */
export function demoQuarter(now: Date): string {
  const current = quarterOf(now);
  const q = Number(current.slice(-1));
  return q === 1 ? current : `${current.slice(0, 4)}-Q${q - 1}`;
}

/** A Shanghai date at a wall-clock hour (fractions are minutes). */
const at = (date: string, hour: number) => new Date(startOfShanghaiDay(date).getTime() + hour * HOUR);

/** `n` distinct days of [from, to), sorted. */
function pickDays(rand: () => number, days: string[], n: number): string[] {
  const pool = [...days];
  const out: string[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out.sort();
}

type Act = { at: Date; run: (m: EntityManager) => Promise<unknown> };

async function cadreActs(db: DataSource, cadre: Cadre, days: string[], now: Date): Promise<Act[]> {
  const rand = rng(cadre.id * 7919);
  const villages = await linkedVillages(db, cadre, now);
  const households = await linkedHouseholds(db, cadre.id, now);
  const home = cadre.residentVillageId ?? villages[0]?.id;
  const acts: Act[] = [];
  if (home !== undefined) {
    // Team members stay at the village most weeks, with nights; other cadres come for the day.
    const team = isTeamMember(cadre);
    const n = team ? 20 + Math.floor(rand() * 35) : 2 + Math.floor(rand() * 10);
    const checkinDays = pickDays(rand, days.filter((_, i) => !team || i % 2 === 0), n);
    for (const day of checkinDays) {
      const overnight = team && rand() < 0.7;
      const start = at(day, 8.5 + rand());
      const end = overnight ? at(addDays(day, 1), 7.5) : at(day, 15 + rand() * 2);
      acts.push({ at: start, run: (m) => checkIn(m, { cadre, villageId: home, now: start, source: 'chat' }) });
      acts.push({ at: end, run: (m) => checkOut(m, cadre.id, end) });
    }
  }
  households.forEach((h, i) => {
    const visits = Math.floor(rand() * 3);
    for (const day of pickDays(rand, days, visits)) {
      const talk = rand() < 0.5;
      const note = talk ? TALK_NOTES[i % TALK_NOTES.length] : VISIT_NOTES[(i + visits) % VISIT_NOTES.length];
      const when = at(day, 10 + rand() * 4);
      acts.push({ at: when, run: (m) => recordHouseholdVisit(m, { cadreId: cadre.id, household: h, note, talk, now: when }) });
    }
    if (rand() < 0.5) {
      const kind = HELP_KINDS[Math.floor(rand() * HELP_KINDS.length)];
      const when = at(pickDays(rand, days, 1)[0], 11 + rand() * 3);
      acts.push({ at: when, run: (m) => recordHelpAct(m, {
        cadreId: cadre.id, household: h, kind, note: HELP_NOTES[kind], amountYuan: kind === MONEY_KIND ? 2000 : null, now: when }) });
    }
  });
  if (households.length > 0 && rand() < 0.6) {
    // A 五必访 the cadre reports for their own household; visited in time or not.
    const h = households[Math.floor(rand() * households.length)];
    const day = pickDays(rand, days.slice(0, -4), 1)[0];
    const reported = at(day, 9);
    const kind = MUST_VISIT_KINDS[Math.floor(rand() * MUST_VISIT_KINDS.length)];
    acts.push({ at: reported, run: (m) => reportMustVisit(m, {
      reporter: cadre, household: { id: h.id, householder: h.householder, villageId: h.villageId, villageName: '' }, kind, note: '', now: reported }) });
    const visited = at(addDays(day, rand() < 0.7 ? 1 : 5), 15);
    acts.push({ at: visited, run: (m) => recordHouseholdVisit(m, { cadreId: cadre.id, household: h, note: `${kind} 看望`, talk: false, now: visited }) });
  }
  const diary = Math.floor(rand() * 18);
  for (const day of pickDays(rand, days, diary)) {
    const when = at(day, 20 + rand());
    acts.push({ at: when, run: (m) => addDiaryEntry(m, { cadreId: cadre.id, content: DIARY_NOTES[Math.floor(rand() * DIARY_NOTES.length)], now: when }) });
  }
  return acts.filter((a) => a.at < now).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** 领导评议 by the leader with the narrowest scope over each cadre and unit, for most of them; 群众评议 imported from a sheet. */
async function rate(db: DataSource, cadres: Cadre[], period: string, now: Date): Promise<void> {
  const regions = db.getRepository(Region);
  const leaders = (await Promise.all(cadres.filter((c) => isLeader(c) && c.scopeRegionId !== null)
    .map(async (c) => ({ cadre: c, scope: (await regions.findOneBy({ id: c.scopeRegionId! }))! }))))
    .sort((a, b) => b.scope.level - a.scope.level);
  const rand = rng(20261);
  const workers = cadres.filter((c) => !isLeader(c) && c.role !== '管理员');
  const units = [...new Set(workers.map((c) => c.unitId).filter((u): u is number => u !== null))];
  const targets = [...workers.map((c) => ({ cadreId: c.id })), ...units.map((unitId) => ({ unitId }))];
  for (const target of targets) {
    if (rand() < 0.25) continue;
    const score = 70 + Math.floor(rand() * 28);
    for (const { cadre, scope } of leaders) {
      try {
        await setLeaderRating(db, { id: cadre.id, scopePath: scope.path }, { target, period, score }, now);
        break;
      } catch {
        // outside this leader's scope: the next, wider one
      }
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'sl-demo-'));
  try {
    const rows = workers.filter(() => rand() < 0.8).map((c) => `${c.userid},${period},${75 + Math.floor(rand() * 23)}`);
    const file = join(dir, 'mass-ratings.csv');
    await writeFile(file, ['账号,季度,分数', ...rows].join('\n'));
    const report = await importMassRatings(db, file, now);
    if (!report.ok) throw new Error(`demo 群众评议 rejected: ${JSON.stringify(report.errors)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Records the demo's scored quarter (see above); returns the quarter and how many acts were recorded. */
export async function seedDemoQuarter(db: DataSource, logger: Logger, now = new Date()): Promise<{ period: string; acts: number }> {
  const period = demoQuarter(now);
  const p = parsePeriod(period);
  const days: string[] = [];
  for (let d = p.from; d < p.to && d < shanghaiDate(now); d = addDays(d, 1)) days.push(d);
  const cadres = await db.getRepository(Cadre).find({ where: { active: true }, order: { id: 'ASC' } });
  let acts = 0;
  for (const cadre of cadres.filter((c) => !isLeader(c) && c.role !== '管理员')) {
    const list = await cadreActs(db, cadre, days, now);
    await db.transaction(async (m) => { for (const a of list) await a.run(m); });
    acts += list.length;
  }
  await rate(db, cadres, period, now);
  logger.child({ area: 'demo' }).info({ period, acts }, 'demo quarter recorded');
  return { period, acts };
}
