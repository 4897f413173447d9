import type { SeedClock } from './clock';
import { DAY_MS, localMs } from './clock';
import type { Cell } from './copy';
import { villageCoords } from './places';
import type { Rand } from '../lib/rng';
import type { Shape } from './shape';

/**
 * Village check-ins over the year so far, and household visits made during
 * them. A visit is a pure function of its index, so each household visit can
 * point at the check-in it happened in without keeping visits in memory.
 */

export interface SeedVisit {
  cadreId: number;
  /** 干部 index, or -1 for a resident team member. */
  ganbu: number;
  village: number;
  startMs: number;
  /** null while open. */
  minutes: number | null;
  revoked: boolean;
}

const TEAM_SHARE = 0.1;
const LOCATION_SHARE = 0.7;
const AUTO_CLOSED_SHARE = 0.03;
const REVOKED_SHARE = 0.005;
const AUTO_CHECKOUT_CAP_MIN = 8 * 60;
/** Team members' stays that last the night: from the evening to the next morning (a resident day). */
const NIGHT_SHARE = 0.4;

/** Open check-ins (today, distinct 干部) at the end of the visit list; the auto-checkout job's input. */
export function openVisitCount(shape: Shape): number {
  return Math.min(1_000, Math.floor(shape.sizes.visits / 1_000), shape.ganbu);
}

export function visitOf(shape: Shape, clock: SeedClock, rand: Rand, i: number): SeedVisit {
  const total = shape.sizes.visits;
  const open = openVisitCount(shape);
  if (i >= total - open) {
    const k = i - (total - open);
    const g = Math.floor((k * shape.ganbu) / open);
    const startMs = Math.max(clock.todayStartMs, clock.now.getTime() - (1 + (k % 120)) * 60_000);
    return { cadreId: shape.ganbuId(g), ganbu: g, village: shape.villageOfGanbu(g), startMs, minutes: null, revoked: false };
  }
  const day = rand.int(i, 2, clock.pastDays);
  const startMs = localMs(clock, day, 7 * 60 + rand.int(i, 3, 6 * 60));
  const revoked = rand.chance(i, 6, REVOKED_SHARE);
  if (shape.team > 0 && rand.chance(i, 0, TEAM_SHARE)) {
    const t = rand.int(i, 1, shape.team);
    const team = { cadreId: shape.teamId(t), ganbu: -1, village: shape.teamVillage(t), revoked };
    if (rand.chance(i, 11, NIGHT_SHARE)) {
      // from 18:00–21:00 to 04:00–11:00 the next morning
      return { ...team, startMs: localMs(clock, day, 18 * 60 + rand.int(i, 12, 180)), minutes: 10 * 60 + rand.int(i, 4, 120) };
    }
    const minutes = rand.chance(i, 5, AUTO_CLOSED_SHARE) ? AUTO_CHECKOUT_CAP_MIN : 240 + rand.int(i, 4, 360);
    return { ...team, startMs, minutes };
  }
  const g = rand.int(i, 1, shape.ganbu);
  const minutes = rand.chance(i, 5, AUTO_CLOSED_SHARE) ? AUTO_CHECKOUT_CAP_MIN : 30 + rand.int(i, 4, 330);
  return { cadreId: shape.ganbuId(g), ganbu: g, village: shape.villageOfGanbu(g), startMs, minutes, revoked };
}

export const VISIT_COLUMNS = [
  'id', 'cadre_id', 'village_id', 'started_at', 'ended_at', 'duration_minutes', 'latitude', 'longitude',
  'distance_m', 'verified', 'source', 'auto_closed', 'revoked_at',
];

export function* visitRows(shape: Shape, clock: SeedClock, rand: Rand, villageRand: Rand): Generator<Cell[]> {
  for (let i = 0; i < shape.sizes.visits; i++) {
    const v = visitOf(shape, clock, rand, i);
    const ended = v.minutes === null ? null : new Date(v.startMs + v.minutes * 60_000);
    let lat: number | null = null;
    let lng: number | null = null;
    let distance: number | null = null;
    let source = 'chat';
    if (rand.chance(i, 7, LOCATION_SHARE)) {
      const [vlat, vlng] = villageCoords(shape, villageRand, v.village);
      // up to ~4.5 km off the centre: most inside the 3 km radius, some outside
      const dLat = (rand.u(i, 8) - 0.5) * 0.06;
      const dLng = (rand.u(i, 9) - 0.5) * 0.07;
      lat = Math.round((vlat + dLat) * 1e6) / 1e6;
      lng = Math.round((vlng + dLng) * 1e6) / 1e6;
      distance = Math.round(Math.hypot(dLat * 111_320, dLng * 111_320 * Math.cos((vlat * Math.PI) / 180)));
      source = rand.chance(i, 10, 0.3) ? 'h5' : 'location';
    }
    yield [
      i + 1, v.cadreId, shape.villageId(v.village), new Date(v.startMs), ended, v.minutes, lat, lng, distance,
      distance !== null && distance <= 3000, source, v.minutes === AUTO_CHECKOUT_CAP_MIN,
      v.revoked ? new Date(v.startMs + 5 * 60_000) : null,
    ];
  }
}

export const HOUSEHOLD_VISIT_COLUMNS = [
  'id', 'cadre_id', 'household_id', 'village_id', 'visited_at', 'visit_id', 'talk', 'note', 'revoked_at',
];

const NOTES = ['', '', '', '了解家庭收入情况', '宣讲惠民政策', '帮助解决饮水问题'];

export function* householdVisitRows(shape: Shape, clock: SeedClock, rand: Rand, visitRand: Rand): Generator<Cell[]> {
  const closed = shape.sizes.visits - openVisitCount(shape);
  const total = shape.sizes.householdVisits;
  for (let x = 0; x < total; x++) {
    const i = closed > 0 ? Math.floor((x * closed) / total) : 0;
    const v = closed > 0 ? visitOf(shape, clock, visitRand, i) : null;
    let g: number;
    let atMs: number;
    let visitId: number | null = null;
    let revoked = false;
    if (v && v.ganbu >= 0 && shape.householdCountOfGanbu(v.ganbu) > 0) {
      g = v.ganbu;
      atMs = v.startMs + rand.int(x, 1, Math.max(1, v.minutes ?? 1)) * 60_000;
      visitId = i + 1;
      revoked = v.revoked;
    } else {
      // a visit recorded without a check-in: the first 干部 of a random village always has a household
      g = shape.ganbuOfVillage(rand.int(x, 2, shape.villages))[0];
      atMs = localMs(clock, rand.int(x, 3, clock.pastDays), 8 * 60 + rand.int(x, 4, 600));
    }
    const h = shape.householdOfGanbu(g, rand.int(x, 5, shape.householdCountOfGanbu(g)));
    yield [
      x + 1, shape.ganbuId(g), h + 1, shape.villageId(shape.villageOfHousehold(h)), new Date(atMs), visitId,
      rand.chance(x, 6, 0.5), NOTES[rand.int(x, 7, NOTES.length)], revoked ? new Date(atMs + DAY_MS / 24) : null,
    ];
  }
}
