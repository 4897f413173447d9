import type { DigestPeriod } from './periods';
import { paceFigures, unackedByScope, villageFigures, type VillageFigures, type Windows } from './sql';
import { instants, periodWindows, type PeriodWindows } from './periods';
import { loadFestivals, recentFestival } from '../rules/festivals';
import { pathIds, subtreeLike } from '../people/regions';
import { standingTargets } from '../standing/cadre-standing';
import { addDays, startOfShanghaiDay } from '../../lib/time';
import { mustVisitFigures, type MustVisitFigures } from '../must-visits/figures';
import { noticeAttendanceByKind, type KindAttendance } from '../notices/attendance';
import { getRule } from '../rules/rules';
import { digestOversight, type DigestOversight } from './oversight';
import { computeAssessment, topAndBottom, type TopAndBottom } from '../assessment/scores';
import { parsePeriod } from '../assessment/scheme';
import type { Db } from '../../lib/db';

export { renderDigestMarkdown } from './render';

/**
 * Leaders' digests (日报, 周检查, 月小结, 季考评, 年考核). buildDigests computes every
 * requested scope from one set of per-village statements (digest-sql.ts),
 * rolled up along each village's path, so 1,400 leader scopes cost what one does.
 */

export interface Comparison {
  current: number;
  previous: number;
  /** 'day' only: the same weekday last week. */
  lastWeek: number | null;
}

export interface RankedRegion {
  name: string;
  onPace: number;
  links: number;
}

export interface RankedCadre {
  name: string;
  behindHouseholds: number;
  owed: number;
}

export interface DigestData {
  scope: { id: number; name: string; fullName: string; level: number };
  windows: PeriodWindows;
  checkins: Comparison;
  householdVisits: Comparison;
  villagesVisited: number;
  villages: number;
  householdsVisitedYear: number;
  householdsLinked: number;
  problems: { new: number; closed: number; overdue: number; reportedYear: number; closedYear: number };
  unacknowledged: number;
  /** County and above: sub-regions, worst household pace first; township: cadres furthest behind. */
  behindRegions: RankedRegion[];
  behindCadres: RankedCadre[];
  festival: { name: string; date: string; visited: number; linked: number } | null;
  /** 五必访 events due in the period, visited by their deadline, overdue at its end. */
  mustVisits: MustVisitFigures;
  /** 五必到: notices sent in the period to the scope or below, with attendance per kind. */
  attendance: KindAttendance[];
  /** County and township: villages without their 督查, team members below pace (oversight.ts); null above. */
  oversight: DigestOversight | null;
  /** 季考评 and 年考核: the cadres with the five highest and five lowest scores of the period; null for other periods. */
  assessment: TopAndBottom | null;
}

interface RegionRow { id: number; parent_id: number | null; level: number; name: string; full_name: string; path: string }

type Sums = Omit<VillageFigures, 'id' | 'path' | 'checkins' | 'householdVisits'> & {
  checkins: number[]; householdVisits: number[]; villages: number; unacked: number;
};

const zero = (): Sums => ({
  checkins: [0, 0, 0], householdVisits: [0, 0, 0], coveredVillage: 0, householdsLinked: 0, householdsVisitedYear: 0,
  festivalVisited: 0, problemsNew: 0, problemsClosed: 0, problemsOverdue: 0, problemsReportedYear: 0,
  problemsClosedYear: 0, paceLinks: 0, paceOnPace: 0, villages: 0, unacked: 0,
});

export const TOP_BEHIND = 5;

export interface DigestLeader {
  id: number;
  userid: string;
  scopeRegionId: number;
}

/** Who gets a digest: every active 领导 with a 管辖范围, by id (the digest is of that scope). */
export async function digestLeaders(db: Db): Promise<DigestLeader[]> {
  const rows: { id: number; userid: string; scope_region_id: number }[] = await db.query(
    `SELECT id, userid, scope_region_id FROM cadres
      WHERE active AND role = '领导' AND scope_region_id IS NOT NULL ORDER BY id`);
  return rows.map((r) => ({ id: r.id, userid: r.userid, scopeRegionId: r.scope_region_id }));
}

/** Digests of the given scopes (region ids), keyed by region id. */
export async function buildDigests(
  db: Db, scopeIds: number[], now: Date, period: DigestPeriod,
): Promise<Map<number, DigestData>> {
  const out = new Map<number, DigestData>();
  if (scopeIds.length === 0) return out;
  const scopes: RegionRow[] = await db.query(
    'SELECT id, parent_id, level, name, full_name, path FROM regions WHERE id = ANY($1) ORDER BY path', [scopeIds]);
  if (scopes.length === 0) return out;
  const prefix = scopes.length === 1 ? subtreeLike(scopes[0].path) : '%';
  const pw = periodWindows(now, period);
  // Year-to-date figures stand at the end of the period's last day in its own year (periods.ts).
  const asOf = new Date(Math.min(now.getTime(), startOfShanghaiDay(addDays(pw.asOf, 1)).getTime()));
  const festival = recentFestival(await loadFestivals(db), pw.asOf);
  const w: Windows = {
    now: asOf, today: pw.asOf,
    ranges: [instants(pw.current), instants(pw.previous), pw.lastWeek ? instants(pw.lastWeek) : [now, now]],
    coverage: instants(pw.coverage), year: [startOfShanghaiDay(`${pw.year}-01-01`), startOfShanghaiDay(`${pw.year + 1}-01-01`)],
    festival: festival ? [startOfShanghaiDay(festival.remindOn), startOfShanghaiDay(addDays(festival.date, 1))] : null,
  };
  const targets = await standingTargets(db);
  const villages = await villageFigures(db, prefix, w, targets);
  const unacked = await unackedByScope(db, prefix, w.now);
  const pace = await paceFigures(db, prefix, w, targets, scopes.filter((s) => s.level === 3).map((s) => s.id), TOP_BEHIND);
  const byVillage = new Map(villages.map((v) => [v.id, v]));
  for (const p of pace.villages) {
    const v = byVillage.get(p.villageId);
    if (v) { v.paceLinks += p.links; v.paceOnPace += p.onPace; }
  }
  const cadres = new Map<number, RankedCadre[]>();
  for (const c of pace.cadresBehind) {
    const list = cadres.get(c.townshipId) ?? (cadres.set(c.townshipId, []), cadres.get(c.townshipId)!);
    list.push({ name: c.name, behindHouseholds: c.behind, owed: c.owed });
  }
  const oversight = await digestOversight(db, scopes, prefix, w.now, w.today);
  const mustVisits = await mustVisitFigures(db, prefix, scopeIds, w.ranges[0], w.now);
  const attendance = await noticeAttendanceByKind(db, prefix, scopeIds, w.ranges[0], w.now, await getRule(db, 'notice.report_hours'));
  const regions: RegionRow[] = await db.query(
    'SELECT id, parent_id, level, name, full_name, path FROM regions WHERE level < 4 AND path LIKE $1', [prefix]);
  const assessed = period === 'quarter' || period === 'year'
    ? await computeAssessment(db, parsePeriod(pw.key), scopes.length === 1 ? scopes[0].path : '/') : null;

  const sums = new Map<number, Sums>();
  const acc = (id: number) => sums.get(id) ?? (sums.set(id, zero()), sums.get(id)!);
  for (const v of villages) {
    for (const a of pathIds(v.path)) {
      const s = acc(a);
      s.villages++;
      for (let i = 0; i < 3; i++) { s.checkins[i] += v.checkins[i]; s.householdVisits[i] += v.householdVisits[i]; }
      for (const k of ['coveredVillage', 'householdsLinked', 'householdsVisitedYear', 'festivalVisited', 'problemsNew',
        'problemsClosed', 'problemsOverdue', 'problemsReportedYear', 'problemsClosedYear', 'paceLinks', 'paceOnPace'] as const) {
        s[k] += v[k];
      }
    }
  }
  for (const u of unacked) for (const a of pathIds(u.path)) acc(a).unacked += u.n;

  for (const scope of scopes) {
    const s = sums.get(scope.id) ?? zero();
    const cmp = (xs: number[]): Comparison => ({ current: xs[0], previous: xs[1], lastWeek: pw.lastWeek ? xs[2] : null });
    const behindRegions = scope.level < 3 ? regions
      .filter((r) => r.parent_id === scope.id)
      .map((r) => ({ name: r.name, onPace: sums.get(r.id)?.paceOnPace ?? 0, links: sums.get(r.id)?.paceLinks ?? 0 }))
      .filter((r) => r.links > r.onPace)
      .sort((a, b) => a.onPace / a.links - b.onPace / b.links || b.links - a.links || a.name.localeCompare(b.name))
      .slice(0, TOP_BEHIND) : [];
    const behindCadres = cadres.get(scope.id) ?? [];
    out.set(scope.id, {
      scope: { id: scope.id, name: scope.name, fullName: scope.full_name, level: scope.level },
      windows: pw,
      checkins: cmp(s.checkins), householdVisits: cmp(s.householdVisits),
      villagesVisited: s.coveredVillage, villages: s.villages,
      householdsVisitedYear: s.householdsVisitedYear, householdsLinked: s.householdsLinked,
      problems: { new: s.problemsNew, closed: s.problemsClosed, overdue: s.problemsOverdue,
        reportedYear: s.problemsReportedYear, closedYear: s.problemsClosedYear },
      unacknowledged: s.unacked, behindRegions, behindCadres,
      festival: festival ? { name: festival.name, date: festival.date, visited: s.festivalVisited, linked: s.householdsLinked } : null,
      mustVisits: mustVisits.get(scope.id)!, attendance: attendance.get(scope.id) ?? [],
      oversight: oversight.get(scope.id) ?? null,
      assessment: assessed && topAndBottom(assessed, scope.path, TOP_BEHIND),
    });
  }
  return out;
}

/** The digest of one leader's scope (the chat's 日报 calls this). */
export async function buildDigest(
  manager: Db, scopeRegionId: number, now: Date, period: DigestPeriod = 'day',
): Promise<DigestData> {
  const d = (await buildDigests(manager, [scopeRegionId], now, period)).get(scopeRegionId);
  if (!d) throw new Error(`region ${scopeRegionId} not found`);
  return d;
}
