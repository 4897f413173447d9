import type { EntityManager } from 'typeorm';
import { HouseholdVisit } from '../../../entities';
import { openVisit } from './village-checkins';
import { closeMustVisitsByVisit, leadingMustVisitKind } from '../must-visits/events';
import type { MustVisitKind } from '../../../entities';
import { shanghaiYearRange } from '../../lib/time';

/** 走访/入户: a cadre's visit to one of their linked households. */

/**
 * A visit is a heart-to-heart talk (与联系户谈心交流) only when said so: its note
 * starts with 谈心 (走访 张三 谈心 …), or it was recorded with the 谈心 verb. A note
 * that merely mentions the word (今天没有谈心) is not a talk.
 */
export const TALK_KEYWORD = '谈心';

export function noteMarksTalk(note: string): boolean {
  return note.replace(/^[\s:：,，、]+/u, '').startsWith(TALK_KEYWORD);
}

export interface HouseholdCounts {
  visits: number;
  days: number;
  talks: number;
}

/**
 * Records the visit; it closes the household's open 五必访 events of the kind its
 * note starts with (走访 张三 住院 …) and those still within their deadline.
 */
export async function recordHouseholdVisit(
  manager: EntityManager,
  input: { cadreId: number; household: { id: number; villageId: number }; note: string; talk: boolean; now: Date },
): Promise<{ visit: HouseholdVisit; counts: HouseholdCounts; mustVisits: { kind: MustVisitKind; late: boolean }[] }> {
  const open = await openVisit(manager, input.cadreId);
  const repo = manager.getRepository(HouseholdVisit);
  const visit = await repo.save(repo.create({
    cadreId: input.cadreId,
    householdId: input.household.id,
    villageId: input.household.villageId,
    visitedAt: input.now,
    visitId: open && open.villageId === input.household.villageId ? open.id : null,
    talk: input.talk,
    note: input.note,
    revokedAt: null,
  }));
  const mustVisits = await closeMustVisitsByVisit(manager, {
    householdId: input.household.id, householdVisitId: visit.id, kind: leadingMustVisitKind(input.note)?.kind ?? null, now: input.now,
  });
  const counts = await householdCounts(manager, input.cadreId, input.household.id, input.now);
  return { visit, counts, mustVisits };
}

/** This year's visits, distinct visit days and talks by one cadre to one household. */
export async function householdCounts(manager: EntityManager, cadreId: number, householdId: number, now: Date): Promise<HouseholdCounts> {
  const { from, to } = shanghaiYearRange(now);
  const rows: HouseholdCounts[] = await manager.query(
    `SELECT count(*)::int AS visits,
            count(DISTINCT (visited_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days,
            count(*) FILTER (WHERE talk)::int AS talks
       FROM household_visits
      WHERE cadre_id = $1 AND household_id = $2 AND revoked_at IS NULL AND visited_at >= $3 AND visited_at < $4`,
    [cadreId, householdId, from, to],
  );
  return rows[0];
}
