import type { EntityManager } from 'typeorm';
import { checkIn, type CheckinCadre, type CheckinResult } from './village-checkins';
import { distanceMeters } from '../../lib/geo';
import { linkedVillages } from '../people/links';
import type { Db } from '../../lib/db';
import { placeName } from '../../lib/place';

/**
 * The H5 check-in page's server side: the cadre's linked villages by distance
 * from a GCJ-02 fix, and a check-in whose geofence is re-checked here — the
 * page's own distance is never trusted. Recording goes through the chat's
 * checkIn, so duplicate and open-visit rules are the same as for 签到.
 */

export interface NearbyVillage {
  id: number;
  name: string;
  fullName: string;
  /** As people read it: 武山县鸳鸯镇丁门村. */
  place: string;
  radiusM: number;
  /** Metres from the fix; null when the village has no coordinates on the roster. */
  distanceM: number | null;
  inside: boolean;
}

export async function nearbyVillages(db: Db, cadre: CheckinCadre, latitude: number, longitude: number, now: Date): Promise<NearbyVillage[]> {
  return (await linkedVillages(db, cadre, now))
    .map((v) => {
      const d = v.latitude === null || v.longitude === null ? null : Math.round(distanceMeters(latitude, longitude, v.latitude, v.longitude));
      return { id: v.id, name: v.name, fullName: v.fullName, place: placeName(v.fullName, 'county'), radiusM: v.radiusM, distanceM: d, inside: d !== null && d <= v.radiusM };
    })
    .sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity));
}

export type H5CheckinResult =
  | { kind: 'not_linked' }
  | { kind: 'no_coordinates'; village: NearbyVillage }
  | { kind: 'too_far'; village: NearbyVillage }
  | { kind: 'duplicate' | 'recorded'; village: NearbyVillage; result: CheckinResult };

export async function h5CheckIn(
  manager: EntityManager,
  input: { cadre: CheckinCadre; villageId: number; latitude: number; longitude: number; now: Date },
): Promise<H5CheckinResult> {
  const { cadre, latitude, longitude, now } = input;
  const village = (await nearbyVillages(manager, cadre, latitude, longitude, now)).find((v) => v.id === input.villageId);
  if (!village) return { kind: 'not_linked' };
  if (village.distanceM === null) return { kind: 'no_coordinates', village };
  if (!village.inside) return { kind: 'too_far', village };
  const result = await checkIn(manager, {
    cadre, villageId: village.id, now, source: 'h5',
    location: { latitude, longitude, distanceM: village.distanceM, verified: true },
  });
  return { kind: result.kind, village, result };
}
