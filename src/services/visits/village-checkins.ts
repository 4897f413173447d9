import type { EntityManager } from 'typeorm';
import { Visit, type VisitSource } from '../../../entities';
import { distanceMeters } from '../../lib/geo';
import { linkedVillages, type LinkedVillage } from '../people/links';
import { getRule } from '../rules/rules';
import { shanghaiYear, shanghaiYearRange } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * Village check-ins (签到 … 签退): at most one open visit per cadre; a
 * check-in elsewhere closes the open one. A repeat at the village of the open
 * visit within 'checkin.duplicate_minutes' of its start is reported instead of
 * recorded; a later one closes it and starts a new visit, and so does a 签到
 * after 签退 (docs/chat.md). A visit ended by its cadre counts up to
 * 'checkin.stay_cap_hours' (docs/design.md §2 time on site).
 */

export interface CheckinCadre {
  id: number;
  unitId: number | null;
}

export interface VisitCounts {
  /** Check-ins this year (not revoked). */
  visits: number;
  /** Distinct Shanghai calendar days covered by those visits. */
  days: number;
}

export interface LocationFix {
  latitude: number;
  longitude: number;
  distanceM: number;
  verified: boolean;
}

/** A visit ended by its cadre; `capHours` is set when it was open longer and counts up to that cap. */
export interface EndedVisit {
  visit: Visit;
  capHours: number | null;
}

export type CheckinResult =
  | { kind: 'duplicate'; visit: Visit }
  | { kind: 'recorded'; visit: Visit; closed: EndedVisit | null };

export async function openVisit(manager: EntityManager, cadreId: number): Promise<Visit | null> {
  return manager.getRepository(Visit).createQueryBuilder('v')
    .where('v.cadre_id = :cadreId AND v.ended_at IS NULL AND v.revoked_at IS NULL', { cadreId })
    .setLock('pessimistic_write').getOne();
}

/**
 * Ends a visit at `now`, or at the stay cap when it was open longer; the time it
 * counts is its end: its duration and the dates it covers.
 */
export async function closeVisit(manager: EntityManager, visit: Visit, now: Date): Promise<EndedVisit> {
  const capHours = await getRule(manager, 'checkin.stay_cap_hours');
  const cap = new Date(visit.startedAt.getTime() + capHours * 3_600_000);
  visit.endedAt = now < visit.startedAt ? visit.startedAt : now > cap ? cap : now;
  visit.durationMinutes = Math.floor((visit.endedAt.getTime() - visit.startedAt.getTime()) / 60000);
  return { visit: await manager.getRepository(Visit).save(visit), capHours: now > cap ? capHours : null };
}

export async function checkIn(
  manager: EntityManager,
  input: { cadre: CheckinCadre; villageId: number; now: Date; source: VisitSource; location?: LocationFix },
): Promise<CheckinResult> {
  const { cadre, villageId, now } = input;
  // Serialise one cadre's check-ins: two arriving at once would both find no open
  // visit, and the second insert would break visits_one_open_per_cadre. NO KEY
  // UPDATE still lets other rows reference the cadre meanwhile.
  await manager.query('SELECT 1 FROM cadres WHERE id = $1 FOR NO KEY UPDATE', [cadre.id]);
  const duplicateMinutes = await getRule(manager, 'checkin.duplicate_minutes');
  const open = await openVisit(manager, cadre.id);
  if (open && open.villageId === villageId && now.getTime() - open.startedAt.getTime() < duplicateMinutes * 60000) {
    return { kind: 'duplicate', visit: open };
  }
  const closed = open ? await closeVisit(manager, open, now) : null;
  const loc = input.location;
  const visit = await manager.getRepository(Visit).save(manager.getRepository(Visit).create({
    cadreId: cadre.id, villageId, startedAt: now, endedAt: null, durationMinutes: null,
    latitude: loc?.latitude ?? null, longitude: loc?.longitude ?? null, distanceM: loc?.distanceM ?? null,
    verified: loc?.verified ?? false, source: input.source, autoClosed: false, revokedAt: null,
  }));
  return { kind: 'recorded', visit, closed };
}

export async function checkOut(manager: EntityManager, cadreId: number, now: Date): Promise<EndedVisit | null> {
  const open = await openVisit(manager, cadreId);
  return open ? closeVisit(manager, open, now) : null;
}

/** A unit's check-ins at a village this year and the days they cover, from its 联村 link's year tally. */
export async function unitVillageCounts(db: Db, unitId: number, villageId: number, now: Date): Promise<VisitCounts> {
  const rows: VisitCounts[] = await db.query(
    `SELECT coalesce(sum(t.visits), 0)::int AS visits, coalesce(sum(t.days), 0)::int AS days
       FROM unit_village_links l JOIN unit_link_tallies t ON t.link_id = l.id AND t.year = $3
      WHERE l.unit_id = $1 AND l.village_id = $2`,
    [unitId, villageId, shanghaiYear(now)],
  );
  return rows[0];
}

/**
 * One cadre's check-ins at a village outside their unit's links this year, and
 * the Shanghai dates they cover: the cadre's own few rows at that village.
 */
export async function cadreVillageCounts(db: Db, cadreId: number, villageId: number, now: Date): Promise<VisitCounts> {
  const { from, to } = shanghaiYearRange(now);
  const rows: VisitCounts[] = await db.query(
    `WITH v AS (
       SELECT started_at, ended_at, auto_closed FROM visits
        WHERE cadre_id = $1 AND village_id = $2 AND revoked_at IS NULL AND started_at >= $3 AND started_at < $4)
     SELECT (SELECT count(*) FROM v)::int AS visits,
            (SELECT count(DISTINCT d.day) FROM v, visit_days(v.started_at, v.ended_at, v.auto_closed) d)::int AS days`,
    [cadreId, villageId, from, to],
  );
  return rows[0];
}

/** A cadre's days on site this year (any village), from the cadre's year tally. */
export async function cadreDaysOnSite(db: Db, cadreId: number, now: Date): Promise<number> {
  const rows: { days: number }[] = await db.query(
    'SELECT days_on_site AS days FROM cadre_tallies WHERE cadre_id = $1 AND year = $2', [cadreId, shanghaiYear(now)]);
  return rows[0]?.days ?? 0;
}

export type LocationResult =
  | { kind: 'attached'; visit: Visit; village: LinkedVillage | { id: number; fullName: string; radiusM: number } }
  | { kind: 'checked_in'; result: CheckinResult; village: LinkedVillage }
  | { kind: 'too_far'; village: LinkedVillage; distanceM: number }
  | { kind: 'no_village' };

/**
 * A shared location: attached to the open check-in (verified when inside the
 * village's radius), else a check-in at the nearest linked village whose
 * radius holds the point.
 */
export async function checkInByLocation(
  manager: EntityManager,
  input: { cadre: CheckinCadre; latitude: number; longitude: number; now: Date },
): Promise<LocationResult> {
  const { cadre, latitude, longitude, now } = input;
  const open = await openVisit(manager, cadre.id);
  if (open) {
    const rows: { latitude: number | null; longitude: number | null; radius_m: number; full_name: string }[] = await manager.query(
      'SELECT v.latitude, v.longitude, v.radius_m, r.full_name FROM villages v JOIN regions r ON r.id = v.id WHERE v.id = $1',
      [open.villageId],
    );
    const vil = rows[0];
    open.latitude = latitude;
    open.longitude = longitude;
    if (vil.latitude !== null && vil.longitude !== null) {
      open.distanceM = Math.round(distanceMeters(latitude, longitude, vil.latitude, vil.longitude));
      open.verified = open.distanceM <= vil.radius_m;
    }
    await manager.getRepository(Visit).save(open);
    return { kind: 'attached', visit: open, village: { id: open.villageId, fullName: vil.full_name, radiusM: vil.radius_m } };
  }
  const candidates = (await linkedVillages(manager, cadre, now))
    .filter((v) => v.latitude !== null && v.longitude !== null)
    .map((v) => ({ v, d: Math.round(distanceMeters(latitude, longitude, v.latitude!, v.longitude!)) }))
    .sort((a, b) => a.d - b.d);
  if (candidates.length === 0) return { kind: 'no_village' };
  const inside = candidates.find((c) => c.d <= c.v.radiusM);
  if (!inside) return { kind: 'too_far', village: candidates[0].v, distanceM: candidates[0].d };
  const result = await checkIn(manager, {
    cadre, villageId: inside.v.id, now, source: 'location',
    location: { latitude, longitude, distanceM: inside.d, verified: true },
  });
  return { kind: 'checked_in', result, village: inside.v };
}
