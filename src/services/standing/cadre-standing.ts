import type { EntityManager } from 'typeorm';
import { getRules, type Rules } from '../rules/rules';
import { householdLinkSql, teamSql, unitLinkSql } from './pace-sql';
import { formatDate, shanghaiDate, shanghaiYearRange } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * Pace: year-to-date standing against every rule of docs/design.md §2, pro-rated
 * (required-by-now = floor(target × elapsed fraction of the year, counted from
 * the link's start or a team member's 驻村 start)). The SQL (standing-sql.ts) covers all links in one
 * statement per rule family; standingForCadre is the same SQL filtered to one
 * person, for the chat's 进度.
 */

export interface UnitLinkStanding {
  unitId: number;
  unitName: string;
  villageId: number;
  villageName: string;
  villageFullName: string;
  villagePath: string;
  visits: number;
  days: number;
  requiredVisits: number;
  requiredDays: number;
}

export interface HouseholdLinkStanding {
  cadreId: number;
  householdId: number;
  householder: string;
  villageId: number;
  visits: number;
  days: number;
  talks: number;
  requiredVisits: number;
  requiredDays: number;
  requiredTalks: number;
}

export interface TeamStanding {
  cadreId: number;
  daysOnSite: number;
  daysResident: number;
  requiredOnSite: number;
  requiredResident: number;
}

export interface CadreStanding {
  cadreId: number;
  name: string;
  /** Shanghai date of "now". */
  date: string;
  /** The cadre's unit's 联村 links. */
  villages: UnitLinkStanding[];
  households: HouseholdLinkStanding[];
  team: TeamStanding | null;
  /** Annual targets, for "≥N" in texts. */
  targets: StandingTargets;
}

export interface StandingTargets {
  villageVisits: number;
  villageDays: number;
  householdVisits: number;
  householdDays: number;
  householdTalks: number;
  teamOnSite: number;
  teamResident: number;
}

/** Filters on the link sets; at most one is used. */
export interface StandingFilter {
  cadreId?: number;
  unitId?: number;
  /** A subtree: regions.path LIKE this (see subtreeLike). */
  villagePathLike?: string;
}

const RULE_KEYS = [
  'village.visits_per_year', 'village.days_per_year', 'household.visits_per_year', 'household.days_per_year',
  'household.talks_per_year', 'team.days_on_site_per_year', 'team.days_resident_per_year',
] as const;

export async function standingTargets(db: Db): Promise<StandingTargets> {
  const r: Pick<Rules, (typeof RULE_KEYS)[number]> = await getRules(db, [...RULE_KEYS]);
  return {
    villageVisits: r['village.visits_per_year'], villageDays: r['village.days_per_year'],
    householdVisits: r['household.visits_per_year'], householdDays: r['household.days_per_year'],
    householdTalks: r['household.talks_per_year'],
    teamOnSite: r['team.days_on_site_per_year'], teamResident: r['team.days_resident_per_year'],
  };
}

/**
 * floor(target × elapsed fraction of now's Shanghai year since max(1 January, since), up to
 * min(now, until)); as the SQL computes it (pace-sql.ts REQUIRED).
 */
export function requiredByNow(target: number, now: Date, since?: Date, until?: Date): number {
  const { from, to } = shanghaiYearRange(now);
  const start = since && since > from ? since : from;
  const end = until && until < now ? until : now;
  const elapsed = Math.max(0, end.getTime() - start.getTime());
  return Math.floor((target * elapsed) / (to.getTime() - from.getTime()));
}

/** $1..$4 of every pace-sql.ts statement: now, today (Shanghai), the year's first instant, the next year's. */
export function baseParams(now: Date): unknown[] {
  const { from, to } = shanghaiYearRange(now);
  return [now, shanghaiDate(now), from, to];
}

function where(f: StandingFilter, params: unknown[], cols: { cadre?: string; unit?: string; path?: string }): string {
  if (f.cadreId !== undefined && cols.cadre) return params.push(f.cadreId), `AND ${cols.cadre} = $${params.length}`;
  if (f.unitId !== undefined && cols.unit) return params.push(f.unitId), `AND ${cols.unit} = $${params.length}`;
  if (f.villagePathLike !== undefined && cols.path) {
    return params.push(f.villagePathLike), `AND ${cols.path} LIKE $${params.length}`;
  }
  return '';
}

export async function unitLinkStanding(
  db: Db, now: Date, t: StandingTargets, f: StandingFilter = {}, behindOnly = false,
): Promise<UnitLinkStanding[]> {
  const params = [...baseParams(now), t.villageVisits, t.villageDays];
  const filter = where(f, params, { unit: 'l.unit_id', path: 'r.path' });
  const rows: Record<string, unknown>[] = await db.query(unitLinkSql(filter, behindOnly), params);
  return rows.map((r) => ({
    unitId: r.unit_id as number, unitName: r.unit_name as string, villageId: r.village_id as number,
    villageName: r.village_name as string, villageFullName: r.village_full_name as string,
    villagePath: r.village_path as string, visits: r.visits as number, days: r.days as number,
    requiredVisits: r.required_visits as number, requiredDays: r.required_days as number,
  }));
}

/** A row of householdLinkSql as a HouseholdLinkStanding. */
function householdStandingOf(r: Record<string, unknown>): HouseholdLinkStanding {
  return {
    cadreId: r.cadre_id as number, householdId: r.household_id as number, householder: r.householder as string,
    villageId: r.village_id as number, visits: r.visits as number, days: r.days as number, talks: r.talks as number,
    requiredVisits: r.required_visits as number, requiredDays: r.required_days as number,
    requiredTalks: r.required_talks as number,
  };
}

export async function householdLinkStanding(
  db: Db, now: Date, t: StandingTargets, f: StandingFilter = {}, behindOnly = false,
): Promise<HouseholdLinkStanding[]> {
  const params = [...baseParams(now), t.householdVisits, t.householdDays, t.householdTalks];
  const filter = where(f, params, { cadre: 'chl.cadre_id', unit: 'c.unit_id' });
  const rows: Record<string, unknown>[] = await db.query(householdLinkSql(filter, { behindOnly }), params);
  return rows.map(householdStandingOf);
}

export interface HouseholdsBehind {
  cadreId: number;
  /** How many of the cadre's household links are behind pace. */
  behind: number;
  /** The 联户 links of the first of those households by id. */
  first: number[];
}

/**
 * Cadres behind pace on household links, by cadre id: for each, how many links
 * are behind and the first `limit` households by id. One statement over every
 * link that PostgreSQL runs on parallel workers (with allowLargeScans), and one
 * row per cadre comes back (the weekly quota scan of bench/quota-scan.ts; the
 * reminders job itself renders its messages in SQL, quota-messages.ts).
 */
export async function householdsBehindByCadre(
  db: Db, now: Date, t: StandingTargets, limit: number,
): Promise<HouseholdsBehind[]> {
  const rows: { cadre_id: number; behind: number; first: number[] }[] = await db.query(
    `WITH b AS (${householdLinkSql('', { behindOnly: true, ordered: false, householder: false, activeOnly: false })}),
     g AS (SELECT b.cadre_id, count(*)::int AS behind, (array_agg(b.link_id ORDER BY b.household_id, b.link_id))[1:$8] AS first
             FROM b GROUP BY b.cadre_id)
     SELECT g.* FROM g JOIN cadres c ON c.id = g.cadre_id AND c.active ORDER BY g.cadre_id`,
    [...baseParams(now), t.householdVisits, t.householdDays, t.householdTalks, limit],
  );
  return rows.map((r) => ({ cadreId: r.cadre_id, behind: r.behind, first: r.first }));
}

export async function teamStanding(
  db: Db, now: Date, t: StandingTargets, f: StandingFilter = {}, behindOnly = false,
): Promise<TeamStanding[]> {
  const params = [...baseParams(now), t.teamOnSite, t.teamResident];
  const filter = where(f, params, { cadre: 'c.id', unit: 'c.unit_id' });
  const rows: Record<string, unknown>[] = await db.query(teamSql(filter, behindOnly), params);
  return rows.map((r) => ({
    cadreId: r.cadre_id as number, daysOnSite: r.days_on_site as number, daysResident: r.days_resident as number,
    requiredOnSite: r.required_on_site as number, requiredResident: r.required_resident as number,
  }));
}

/** One cadre's standing: their unit's village links, their household links, resident-team days. */
export async function standingForCadre(manager: EntityManager, cadreId: number, now: Date): Promise<CadreStanding> {
  const rows: { name: string; unit_id: number | null }[] = await manager.query(
    'SELECT name, unit_id FROM cadres WHERE id = $1', [cadreId]);
  if (rows.length === 0) throw new Error(`cadre ${cadreId} not found`);
  const targets = await standingTargets(manager);
  const unitId = rows[0].unit_id;
  const [team] = await teamStanding(manager, now, targets, { cadreId });
  return {
    cadreId, name: rows[0].name, date: shanghaiDate(now), targets,
    villages: unitId === null ? [] : await unitLinkStanding(manager, now, targets, { unitId }),
    households: await householdLinkStanding(manager, now, targets, { cadreId }),
    team: team ?? null,
  };
}

export const isHouseholdBehind = (h: HouseholdLinkStanding) =>
  h.visits < h.requiredVisits || h.days < h.requiredDays || h.talks < h.requiredTalks;
export const isVillageBehind = (v: UnitLinkStanding) => v.visits < v.requiredVisits || v.days < v.requiredDays;
export const isTeamBehind = (t: TeamStanding) => t.daysOnSite < t.requiredOnSite || t.daysResident < t.requiredResident;

// Chinese texts (what cadres read).
const HEAD = (name: string, date: string) => `${name}的双联进度（截至${date}，按全年进度折算）：`;
const MARK = (ok: boolean) => (ok ? '✓' : '✗');
export const VILLAGE_LINE = (v: UnitLinkStanding) =>
  `${v.villageName} 今年已进村${v.visits}次/累计${v.days}天，按进度应≥${v.requiredVisits}次/≥${v.requiredDays}天`;
/**
 * A 联户 link's line as a PostgreSQL format() string, for a job that renders its
 * messages in SQL (jobs/quota-reminders.ts), and HOUSEHOLD_LINE from the same
 * constant: arguments householder, visits, days, talks, then the three required.
 */
export const HOUSEHOLD_LINE_FORMAT = '%s 已走访%s次/%s天、谈心%s次，按进度应≥%s次/≥%s天/谈心≥%s次';
export const HOUSEHOLD_LINE = (h: HouseholdLinkStanding) => fillFormat(HOUSEHOLD_LINE_FORMAT, [
  h.householder, h.visits, h.days, h.talks, h.requiredVisits, h.requiredDays, h.requiredTalks]);
export const TEAM_LINE = (t: TeamStanding) =>
  `驻村 已到村${t.daysOnSite}天、驻村${t.daysResident}天，按进度应≥${t.requiredOnSite}天/≥${t.requiredResident}天`;
const HOUSEHOLDS_OK = (n: number, ok: number) => `【联户】${n}户，${ok}户达到进度`;
const NOTHING = '您目前没有联系村或联系户，暂无需要完成的指标。';
const RESIDENT_NOTE = '（驻村天数：在村过夜、次日签退计1天）';
const MAX_HOUSEHOLD_LINES = 8;

/** A format() string of plain `%s` placeholders filled as PostgreSQL fills it: each in turn. */
export function fillFormat(format: string, args: (string | number)[]): string {
  let i = 0;
  return format.replace(/%s/g, () => String(args[i++]));
}

/** The 进度 reply: one line per rule, ✓ when on pace. */
export function formatStanding(s: CadreStanding): string {
  const lines = [HEAD(s.name, formatDate(s.date))];
  for (const v of s.villages) lines.push(`【联村】${VILLAGE_LINE(v)} ${MARK(!isVillageBehind(v))}`);
  if (s.households.length > 0) {
    const behind = s.households.filter(isHouseholdBehind);
    lines.push(HOUSEHOLDS_OK(s.households.length, s.households.length - behind.length));
    for (const h of behind.slice(0, MAX_HOUSEHOLD_LINES)) lines.push(`  · ${HOUSEHOLD_LINE(h)}`);
    if (behind.length > MAX_HOUSEHOLD_LINES) lines.push(`  · 另有${behind.length - MAX_HOUSEHOLD_LINES}户未达进度`);
  }
  if (s.team) lines.push(`【驻村】${TEAM_LINE(s.team)} ${MARK(!isTeamBehind(s.team))}${RESIDENT_NOTE}`);
  return lines.length === 1 ? NOTHING : lines.join('\n');
}
