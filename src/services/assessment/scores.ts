import { CADRE_FIGURES_SQL, RATINGS_SQL, UNIT_FIGURES_SQL } from './figures-sql';
import { loadScoreScheme, periodDays, type AssessmentPeriod, type ScoreScheme } from './scheme';
import { getRules } from '../rules/rules';
import { subtreeLike } from '../people/regions';
import { RegionLevel } from '../../../entities';
import type { Db } from '../../lib/db';

/**
 * Scores of 季考评/年考核 (docs/design.md §2 "Assessment"). Each component of
 * the work score is worth its weight (score.*) times how much of it was done:
 * a quota pro-rated to the period (capped per link at what the link owed), a
 * share (problems closed by their deadline, notices acknowledged, must-visits
 * made in time), or a count against a yearly target (diary days, 六送 acts).
 * A component that does not apply (no household links, not a team member, no
 * problem due) is left out, and the work score is the points won out of the
 * points that applied, on 100. The total mixes the work score, 领导评议 and
 * 群众评议 by their shares, over the parts present.
 */

/** Column and breakdown names, as the console, the export and the digests show them. */
export const COMPONENT_LABELS = {
  household_visits: '走访次数',
  household_days: '入户天数',
  household_talks: '谈心交流',
  team_days_on_site: '到村天数',
  team_days_resident: '驻村天数',
  problems_in_time: '问题按期销号',
  notices_acknowledged: '通知收到',
  must_visits_in_time: '五必访按期',
  diary_days: '民情日记',
  help_acts: '六送帮扶',
  village_visits: '进村次数',
  village_days: '进村天数',
  unit_cadres: '干部平均',
} as const;

export type ComponentKey = keyof typeof COMPONENT_LABELS;

/** The components of a cadre's and of a unit's work score, in the order they are shown. */
export const CADRE_COMPONENTS: ComponentKey[] = ['household_visits', 'household_days', 'household_talks', 'team_days_on_site',
  'team_days_resident', 'problems_in_time', 'notices_acknowledged', 'must_visits_in_time', 'diary_days', 'help_acts'];
export const UNIT_COMPONENTS: ComponentKey[] = ['village_visits', 'village_days', 'unit_cadres'];

export interface Component {
  key: ComponentKey;
  /** What was done and what was owed (rounded to one decimal), for the breakdown. */
  done: number;
  owed: number;
  points: number;
  max: number;
}

export interface Scored {
  /** 'cadre' or 'unit', and its id. */
  kind: 'cadre' | 'unit';
  id: number;
  name: string;
  unitId: number | null;
  unitName: string | null;
  villageFullName: string;
  villagePath: string;
  townshipId: number;
  townshipName: string;
  countyId: number;
  countyName: string;
  components: Component[];
  work: number;
  leader: number | null;
  mass: number | null;
  total: number;
  townshipRank: number;
  countyRank: number;
}

export interface AssessmentResult {
  period: AssessmentPeriod;
  cadres: Scored[];
  units: Scored[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** A component worth `weight` for `done` of `owed` (done capped at owed by the caller where per link); none when nothing was owed. */
export function component(key: ComponentKey, weight: number, done: number, owed: number): Component | null {
  if (!(owed > 0) || weight <= 0) return null;
  return { key, done: round1(done), owed: round1(owed), max: weight, points: round2(weight * Math.min(1, done / owed)) };
}

/** The points won out of the points that applied, on 100. */
export function workScore(components: Component[]): number {
  const max = components.reduce((s, c) => s + c.max, 0);
  return max === 0 ? 0 : round2((100 * components.reduce((s, c) => s + c.points, 0)) / max);
}

/** The total over the parts present, each by its share. */
export function totalScore(s: ScoreScheme, work: number, leader: number | null, mass: number | null): number {
  const parts: [number | null, number][] = [[work, s['score.share_work']], [leader, s['score.share_leader']], [mass, s['score.share_mass']]];
  const present = parts.filter(([v, w]) => v !== null && w > 0) as [number, number][];
  const weight = present.reduce((t, [, w]) => t + w, 0);
  return weight === 0 ? work : round2(present.reduce((t, [v, w]) => t + v * w, 0) / weight);
}

/** Competition ranks (1, 2, 2, 4) by total within each group. */
export function rankWithin<T extends { total: number }>(rows: T[], group: (r: T) => number, set: (r: T, rank: number) => void): void {
  const byGroup = new Map<number, T[]>();
  for (const r of rows) {
    const list = byGroup.get(group(r)) ?? [];
    list.push(r);
    byGroup.set(group(r), list);
  }
  for (const list of byGroup.values()) {
    list.sort((a, b) => b.total - a.total);
    let rank = 0;
    list.forEach((r, i) => {
      if (i === 0 || list[i - 1].total !== r.total) rank = i + 1;
      set(r, rank);
    });
  }
}

type Num = string | number | null;
const num = (v: Num): number => (v === null ? 0 : Number(v));

interface PlaceRow {
  village_full_name: string; village_path: string; township_id: number; township_name: string; county_id: number; county_name: string;
}
interface CadreFigures extends PlaceRow {
  cadre_id: number; name: string; unit_id: number | null; unit_name: string | null; role: string;
  visits_owed: Num; visits_done: Num; days_owed: Num; days_done: Num; talks_owed: Num; talks_done: Num;
  on_site_owed: Num; on_site_done: Num; resident_owed: Num; resident_done: Num;
  problems_due: Num; problems_in_time: Num; notices_received: Num; notices_acked: Num;
  must_visits_due: Num; must_visits_in_time: Num; diary_days: Num; help_acts: Num;
}
interface UnitFigures extends PlaceRow {
  unit_id: number; unit_name: string; visits_owed: Num; visits_done: Num; days_owed: Num; days_done: Num;
}

const place = (r: PlaceRow) => ({
  villageFullName: r.village_full_name, villagePath: r.village_path, townshipId: r.township_id, townshipName: r.township_name,
  countyId: r.county_id, countyName: r.county_name,
});

const present = (list: (Component | null)[]): Component[] => list.filter((c): c is Component => c !== null);

function cadreComponents(r: CadreFigures, s: ScoreScheme, share: number): Component[] {
  return present([
    component('household_visits', s['score.household_visits'], num(r.visits_done), num(r.visits_owed)),
    component('household_days', s['score.household_days'], num(r.days_done), num(r.days_owed)),
    component('household_talks', s['score.household_talks'], num(r.talks_done), num(r.talks_owed)),
    component('team_days_on_site', s['score.team_days_on_site'], Math.min(num(r.on_site_done), num(r.on_site_owed)), num(r.on_site_owed)),
    component('team_days_resident', s['score.team_days_resident'], Math.min(num(r.resident_done), num(r.resident_owed)), num(r.resident_owed)),
    component('problems_in_time', s['score.problems_in_time'], num(r.problems_in_time), num(r.problems_due)),
    component('notices_acknowledged', s['score.notices_acknowledged'], num(r.notices_acked), num(r.notices_received)),
    component('must_visits_in_time', s['score.must_visits_in_time'], num(r.must_visits_in_time), num(r.must_visits_due)),
    component('diary_days', s['score.diary_days'], num(r.diary_days), s['score.diary_days_per_year'] * share),
    component('help_acts', s['score.help_acts'], num(r.help_acts), s['score.help_acts_per_year'] * share),
  ]);
}

type Ratings = Map<string, number>;
const ratingKey = (kind: 'cadre' | 'unit', id: number, rating: 'leader' | 'mass') => `${kind}:${id}:${rating}`;

async function loadRatings(db: Db, period: AssessmentPeriod): Promise<Ratings> {
  const rows: { cadre_id: number | null; unit_id: number | null; kind: 'leader' | 'mass'; score: number }[] =
    await db.query(RATINGS_SQL, [period.quarters]);
  return new Map(rows.map((r) => [
    r.cadre_id !== null ? ratingKey('cadre', r.cadre_id, r.kind) : ratingKey('unit', r.unit_id!, r.kind), r.score,
  ]));
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : round2(xs.reduce((a, b) => a + b, 0) / xs.length));

/**
 * Scores of every cadre and unit placed under `scopePath` (a region's path; the
 * province when absent) for the period, ranked within their township and county.
 * A county's ranks are only whole when the scope holds the county: callers
 * asking for a township pass its county's path and filter afterwards.
 */
export async function computeAssessment(db: Db, period: AssessmentPeriod, scopePath = '/'): Promise<AssessmentResult> {
  const scheme = await loadScoreScheme(db);
  const q = await getRules(db, ['village.visits_per_year', 'village.days_per_year', 'household.visits_per_year',
    'household.days_per_year', 'household.talks_per_year', 'team.days_on_site_per_year', 'team.days_resident_per_year']);
  const base = [period.from, period.to, period.yearDays, subtreeLike(scopePath)];
  const [cadreRows, unitRows, ratings]: [CadreFigures[], UnitFigures[], Ratings] = await Promise.all([
    db.query(CADRE_FIGURES_SQL, [...base, q['household.visits_per_year'], q['household.days_per_year'],
      q['household.talks_per_year'], q['team.days_on_site_per_year'], q['team.days_resident_per_year']]),
    db.query(UNIT_FIGURES_SQL, [...base, q['village.visits_per_year'], q['village.days_per_year']]),
    loadRatings(db, period),
  ]);
  const share = periodDays(period) / period.yearDays;

  const cadres: Scored[] = cadreRows.map((r) => {
    const components = cadreComponents(r, scheme, share);
    const work = workScore(components);
    const leader = ratings.get(ratingKey('cadre', r.cadre_id, 'leader')) ?? null;
    const mass = ratings.get(ratingKey('cadre', r.cadre_id, 'mass')) ?? null;
    return {
      kind: 'cadre', id: r.cadre_id, name: r.name, unitId: r.unit_id, unitName: r.unit_name, ...place(r), components, work,
      leader, mass, total: totalScore(scheme, work, leader, mass), townshipRank: 0, countyRank: 0,
    };
  });

  const cadresOfUnit = new Map<number, Scored[]>();
  for (const c of cadres) if (c.unitId !== null) cadresOfUnit.set(c.unitId, [...(cadresOfUnit.get(c.unitId) ?? []), c]);
  const units: Scored[] = unitRows.map((r) => {
    const own = cadresOfUnit.get(r.unit_id) ?? [];
    const cadreWork = mean(own.map((c) => c.work));
    const components = present([
      component('village_visits', scheme['score.village_visits'], num(r.visits_done), num(r.visits_owed)),
      component('village_days', scheme['score.village_days'], num(r.days_done), num(r.days_owed)),
      cadreWork === null ? null : component('unit_cadres', scheme['score.unit_cadres'], cadreWork, 100),
    ]);
    const work = workScore(components);
    const leader = ratings.get(ratingKey('unit', r.unit_id, 'leader')) ?? null;
    const mass = mean(own.map((c) => c.mass).filter((m): m is number => m !== null));
    return {
      kind: 'unit', id: r.unit_id, name: r.unit_name, unitId: r.unit_id, unitName: r.unit_name, ...place(r), components, work,
      leader, mass, total: totalScore(scheme, work, leader, mass), townshipRank: 0, countyRank: 0,
    };
  });

  for (const list of [cadres, units]) {
    rankWithin(list, (r) => r.townshipId, (r, rank) => { r.townshipRank = rank; });
    rankWithin(list, (r) => r.countyId, (r, rank) => { r.countyRank = rank; });
    list.sort((a, b) => a.countyName.localeCompare(b.countyName, 'zh') || a.countyRank - b.countyRank || a.id - b.id);
  }
  return { period, cadres, units };
}

/** The path of the county holding `region` (the region itself at county level or above): county ranks need the whole county. */
export function rankingPath(region: { path: string; level: number }): string {
  const ids = region.path.split('/').filter(Boolean);
  return region.level <= RegionLevel.County ? region.path : `/${ids.slice(0, RegionLevel.County + 1).join('/')}/`;
}

/** Scores of the cadres and units placed in `region`, ranked within their whole township and county. */
export async function assessRegion(db: Db, region: { path: string; level: number }, period: AssessmentPeriod): Promise<AssessmentResult> {
  const all = await computeAssessment(db, period, rankingPath(region));
  const inRegion = (s: Scored) => s.villagePath.startsWith(region.path);
  return { period, cadres: all.cadres.filter(inRegion), units: all.units.filter(inRegion) };
}

export interface ScoreLine { name: string; unitName: string | null; total: number }
export interface TopAndBottom { top: ScoreLine[]; bottom: ScoreLine[] }

/** The `n` cadres with the highest totals under `path` and the `n` lowest (lowest first), never one in both. */
export function topAndBottom(result: AssessmentResult, path: string, n: number): TopAndBottom {
  const line = (s: Scored): ScoreLine => ({ name: s.name, unitName: s.unitName, total: s.total });
  const ranked = result.cadres.filter((c) => c.villagePath.startsWith(path)).sort((a, b) => b.total - a.total || a.id - b.id);
  const top = ranked.slice(0, n);
  return { top: top.map(line), bottom: ranked.slice(top.length).reverse().slice(0, n).map(line) };
}
