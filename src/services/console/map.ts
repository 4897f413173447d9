import { RegionLevel, type Region } from '../../../entities';
import type { Point } from '../../lib/outline';
import { shanghaiDate, weekStart } from '../../lib/time';
import type { Db } from '../../lib/db';
import { pathIds, subtreeLike } from '../people/regions';
import { countyBoundary, townshipOutline, type Polygonal } from './map-outlines';
import { villagesBehindPace } from './map-pace';
import { consoleRead } from './read';

/**
 * The console's 地图: a scope's villages at their roster coordinates, each with
 * whether a linked unit (联村) checked in there within a date range, and the
 * outlines of the scope's counties and townships (map-outlines.ts).
 */

/**
 * By check-ins: checked (a cadre of a unit linked to the village checked in there on a day of
 * the range), idle (linked during the range, no such check-in), unlinked (no 联村 link during it).
 * By pace: onPace (every link valid today on this year's pace), behind (one is not), unlinked (none valid today).
 */
export type VillageStatus = 'checked' | 'idle' | 'unlinked' | 'onPace' | 'behind';
export type MapColouring = 'checkin' | 'pace';

export interface MapVillage { id: number; name: string; townshipId: number; lat: number; lng: number; status: VillageStatus }

export interface MapOutline { id: number; name: string; geometry: Polygonal }

export interface VillageMap {
  by: MapColouring;
  from: string;
  to: string;
  villages: MapVillage[];
  /** Villages of the scope the roster gives no coordinates (not on the map). */
  unplaced: number;
  counts: Partial<Record<VillageStatus, number>>;
  /** With the adcode of the shipped boundary; counties not in the boundary file are left out. */
  counties: (MapOutline & { adcode: string })[];
  /** Approximations from the villages' positions. */
  townships: MapOutline[];
}

/** Monday of the Shanghai week holding `now`, and today: the map's default range. */
export function thisWeek(now: Date): { from: string; to: string } {
  const today = shanghaiDate(now);
  return { from: weekStart(today), to: today };
}

interface VillageRow { id: number; name: string; townshipId: number; lat: number | null; lng: number | null; status: VillageStatus }

/**
 * One pass over the scope's villages by the path index. Per village, through
 * unit_village_links_village_idx and the primary key of unit_link_days
 * (link, day): the first day of the range with a linked unit's check-in, else
 * any link overlapping the range. Nothing reads the visits themselves. The
 * probes are LATERAL … LIMIT 1 because PostgreSQL turns an EXISTS into a
 * hashed subplan over every unit_link_days row of the range (a year of a
 * province's links) instead of one index probe per village.
 */
const VILLAGES_SQL = `
  SELECT r.id, r.name, r.parent_id AS "townshipId", v.latitude AS lat, v.longitude AS lng,
         CASE WHEN c.hit THEN 'checked' WHEN k.hit THEN 'idle' ELSE 'unlinked' END AS status
    FROM regions r JOIN villages v ON v.id = r.id
    LEFT JOIN LATERAL (
      SELECT true AS hit FROM unit_village_links l
       CROSS JOIN LATERAL (SELECT 1 FROM unit_link_days d
                            WHERE d.link_id = l.id AND d.day BETWEEN $2::date AND $3::date LIMIT 1) d
       WHERE l.village_id = r.id LIMIT 1) c ON true
    LEFT JOIN LATERAL (
      SELECT true AS hit FROM unit_village_links l
       WHERE l.village_id = r.id AND l.valid_from <= $3::date AND (l.valid_to IS NULL OR l.valid_to > $2::date) LIMIT 1) k ON true
   WHERE r.path LIKE $1 AND r.level = ${RegionLevel.Village}
   ORDER BY r.path`;

/** The scope's counties and townships, and the scope's own county and township when it lies below them. */
const AREAS_SQL = `
  SELECT id, name, full_name AS "fullName", level, path FROM regions
   WHERE (path LIKE $1 AND level IN (${RegionLevel.County}, ${RegionLevel.Township})) OR id = ANY($2::int[])`;

export async function villageMap(
  db: Db, scope: Region, range: { from: string; to: string }, opts: { by: MapColouring; now: Date },
): Promise<VillageMap> {
  return consoleRead(db, async (m) => {
    const rows: VillageRow[] = await m.query(VILLAGES_SQL, [subtreeLike(scope.path), range.from, range.to]);
    if (opts.by === 'pace') {
      const behind = await villagesBehindPace(m, scope, opts.now);
      for (const r of rows) r.status = !behind.has(r.id) ? 'unlinked' : behind.get(r.id) ? 'behind' : 'onPace';
    }
    const areas: Pick<Region, 'id' | 'name' | 'fullName' | 'level' | 'path'>[] =
      await m.query(AREAS_SQL, [subtreeLike(scope.path), pathIds(scope.path)]);
    const placed = rows.filter((r): r is VillageRow & { lat: number; lng: number } => r.lat !== null && r.lng !== null);
    const villages = placed.map(({ id, name, townshipId, lat, lng, status }) => ({ id, name, townshipId, lat, lng, status }));
    const counts: Partial<Record<VillageStatus, number>> = opts.by === 'pace'
      ? { onPace: 0, behind: 0, unlinked: 0 } : { checked: 0, idle: 0, unlinked: 0 };
    for (const v of villages) counts[v.status] = (counts[v.status] ?? 0) + 1;

    const counties = areas.filter((a) => a.level === RegionLevel.County).flatMap((c) => {
      const b = countyBoundary(c.fullName);
      return b ? [{ id: c.id, name: c.name, adcode: b.adcode, geometry: b.geometry, path: c.path }] : [];
    });
    const pointsByTownship = new Map<number, Point[]>();
    for (const v of villages) (pointsByTownship.get(v.townshipId) ?? pointsByTownship.set(v.townshipId, []).get(v.townshipId)!).push([v.lng, v.lat]);
    const townships = areas.filter((a) => a.level === RegionLevel.Township).flatMap((t) => {
      const county = counties.find((c) => t.path.startsWith(c.path));
      const geometry = townshipOutline(pointsByTownship.get(t.id) ?? [], county?.geometry ?? null);
      return geometry ? [{ id: t.id, name: t.name, geometry }] : [];
    });
    return {
      by: opts.by,
      ...range,
      villages,
      unplaced: rows.length - placed.length,
      counts,
      counties: counties.map(({ id, name, adcode, geometry }) => ({ id, name, adcode, geometry })),
      townships,
    };
  });
}
