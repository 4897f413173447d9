import type { EntityManager } from 'typeorm';
import { HouseholdVisit } from '../../../entities';
import { openVisit } from './village-checkins';
import { shanghaiYearRange } from '../../lib/time';

/** 走访/入户: a cadre's visit to one of their linked households. */

/** A note mentioning 谈心 records a heart-to-heart talk (与联系户谈心交流). */
export const TALK_MARKER = '谈心';

export interface HouseholdCounts {
  visits: number;
  days: number;
  talks: number;
}

export async function recordHouseholdVisit(
  manager: EntityManager,
  input: { cadreId: number; household: { id: number; villageId: number }; note: string; now: Date },
): Promise<{ visit: HouseholdVisit; counts: HouseholdCounts }> {
  const open = await openVisit(manager, input.cadreId);
  const repo = manager.getRepository(HouseholdVisit);
  const visit = await repo.save(repo.create({
    cadreId: input.cadreId,
    householdId: input.household.id,
    villageId: input.household.villageId,
    visitedAt: input.now,
    visitId: open && open.villageId === input.household.villageId ? open.id : null,
    talk: input.note.includes(TALK_MARKER),
    note: input.note,
    revokedAt: null,
  }));
  const counts = await householdCounts(manager, input.cadreId, input.household.id, input.now);
  return { visit, counts };
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
