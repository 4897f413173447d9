import type { SeedClock } from './clock';
import { DAY_MS, localDate, localMs } from './clock';
import type { Cell } from './copy';
import { DIARY_TEXTS, NOTICE_TEXTS, PROBLEM_CATEGORIES, PROBLEM_TEXTS } from './names';
import type { Rand } from '../lib/rng';
import type { Shape } from './shape';

/** 民情日记, the problem ledger (open, closed, overdue) with its events, and township notices. */

export const DIARY_COLUMNS = ['id', 'cadre_id', 'village_id', 'content', 'created_at', 'revoked_at'];

export function* diaryRows(shape: Shape, clock: SeedClock, rand: Rand): Generator<Cell[]> {
  for (let d = 0; d < shape.sizes.diaries; d++) {
    const g = rand.int(d, 0, shape.ganbu);
    const at = localMs(clock, rand.int(d, 1, clock.pastDays), 19 * 60 + rand.int(d, 2, 180));
    yield [d + 1, shape.ganbuId(g), shape.villageId(shape.villageOfGanbu(g)), DIARY_TEXTS[rand.int(d, 3, DIARY_TEXTS.length)], new Date(at), null];
  }
}

interface SeedProblem {
  village: number;
  reporterId: number;
  ownerId: number | null;
  reportedMs: number;
  closedMs: number | null;
  closedById: number | null;
}

const DEADLINE_DAYS = 30;
const CLOSED_SHARE = 0.75;

function problemOf(shape: Shape, clock: SeedClock, rand: Rand, p: number): SeedProblem {
  const village = rand.int(p, 0, shape.villages);
  const [g0, g1] = shape.ganbuOfVillage(village);
  const reporterId = shape.ganbuId(g0 + rand.int(p, 1, g1 - g0));
  const ownerId = rand.chance(p, 2, 0.5) ? reporterId : null;
  const reportedMs = localMs(clock, rand.int(p, 3, clock.pastDays), 9 * 60 + rand.int(p, 4, 600));
  const closeMs = reportedMs + (1 + rand.int(p, 5, 45)) * DAY_MS;
  const closes = rand.chance(p, 6, CLOSED_SHARE) && closeMs < clock.now.getTime();
  const leader = shape.leaderOfTownship(shape.townshipOfVillage(village));
  return {
    village, reporterId, ownerId, reportedMs,
    closedMs: closes ? closeMs : null,
    closedById: closes ? (rand.chance(p, 7, 0.2) ? leader : ownerId ?? reporterId) : null,
  };
}

export const PROBLEM_COLUMNS = [
  'id', 'code', 'village_id', 'reporter_id', 'owner_cadre_id', 'owner_unit_id', 'description', 'category',
  'status', 'deadline', 'reported_at', 'closed_at', 'closed_by_id', 'close_note', 'revoked_at',
];

/** Codes follow the chat's format, W<year>-<number> (src/services/problems/ledger.ts). */
export function* problemRows(shape: Shape, clock: SeedClock, rand: Rand): Generator<Cell[]> {
  for (let p = 0; p < shape.sizes.problems; p++) {
    const x = problemOf(shape, clock, rand, p);
    yield [
      p + 1, `W${clock.year}-${String(p + 1).padStart(4, '0')}`, shape.villageId(x.village), x.reporterId, x.ownerId,
      shape.unitOfVillage(x.village) + 1, PROBLEM_TEXTS[rand.int(p, 8, PROBLEM_TEXTS.length)],
      PROBLEM_CATEGORIES[rand.int(p, 9, PROBLEM_CATEGORIES.length)], x.closedMs === null ? 'open' : 'closed',
      localDate(x.reportedMs + DEADLINE_DAYS * DAY_MS), new Date(x.reportedMs),
      x.closedMs === null ? null : new Date(x.closedMs), x.closedById, x.closedMs === null ? null : '已整改到位', null,
    ];
  }
}

export const PROBLEM_EVENT_COLUMNS = ['id', 'problem_id', 'kind', 'actor_id', 'note', 'at'];

export function* problemEventRows(shape: Shape, clock: SeedClock, rand: Rand): Generator<Cell[]> {
  let id = 0;
  for (let p = 0; p < shape.sizes.problems; p++) {
    const x = problemOf(shape, clock, rand, p);
    yield [++id, p + 1, 'reported', x.reporterId, '', new Date(x.reportedMs)];
    if (x.closedMs !== null) yield [++id, p + 1, 'closed', x.closedById, '已整改到位', new Date(x.closedMs)];
  }
}

export const NOTICE_COLUMNS = ['id', 'sender_id', 'scope_region_id', 'content', 'created_at', 'attend_until', 'reported_at'];

function noticeTownship(shape: Shape, n: number): number {
  return Math.floor((n * shape.townships) / Math.max(shape.sizes.notices, shape.townships));
}

function noticeCreatedMs(clock: SeedClock, rand: Rand, n: number): number {
  return clock.now.getTime() - (1 + rand.int(n, 0, 30 * 24 * 60)) * 60_000;
}

export function* noticeRows(shape: Shape, clock: SeedClock, rand: Rand): Generator<Cell[]> {
  for (let n = 0; n < shape.sizes.notices; n++) {
    const t = noticeTownship(shape, n);
    const at = noticeCreatedMs(clock, rand, n);
    const reported = at + DAY_MS < clock.now.getTime() ? new Date(at + DAY_MS) : null;
    yield [n + 1, shape.leaderOfTownship(t), shape.townshipId(t), NOTICE_TEXTS[n % NOTICE_TEXTS.length], new Date(at), null, reported];
  }
}

export const NOTICE_RECIPIENT_COLUMNS = ['notice_id', 'cadre_id', 'acked_at', 'followed_up_at'];

/** Every cadre linked to a village of the township: its resident team and its 干部. */
export function* noticeRecipientRows(shape: Shape, clock: SeedClock, rand: Rand, noticeRand: Rand): Generator<Cell[]> {
  const now = clock.now.getTime();
  let r = 0;
  for (let n = 0; n < shape.sizes.notices; n++) {
    const at = noticeCreatedMs(clock, noticeRand, n);
    const [v0, v1] = shape.villagesOfTownship(noticeTownship(shape, n));
    for (let v = v0; v < v1; v++) {
      const ids: number[] = [];
      const rank = shape.poorRank[v];
      if (rank >= 0) ids.push(shape.teamId(2 * rank), shape.teamId(2 * rank + 1));
      const [g0, g1] = shape.ganbuOfVillage(v);
      for (let g = g0; g < g1; g++) ids.push(shape.ganbuId(g));
      for (const id of ids) {
        const ackMs = at + (1 + rand.int(r, 0, 600)) * 60_000;
        const acked = rand.chance(r++, 1, 0.8) && ackMs < now;
        const followUp = !acked && at + 2 * 3_600_000 < now ? new Date(at + 2 * 3_600_000) : null;
        yield [n + 1, id, acked ? new Date(ackMs) : null, followUp];
      }
    }
  }
}
