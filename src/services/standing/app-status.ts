import type { EntityManager } from 'typeorm';
import { Region } from '../../../entities';
import { openVisit } from '../visits/village-checkins';
import { addDays, shanghaiDate, startOfShanghaiDay, weekStart } from '../../lib/time';
import {
  isHouseholdBehind, isVillageBehind, standingForCadre, type HouseholdLinkStanding, type UnitLinkStanding,
} from './cadre-standing';

/**
 * The short status a cadre gets on opening the app (enter_agent, docs/chat.md):
 * the open visit, what the pace asks of them by the end of this ISO week, and
 * the notices they have not acknowledged. At most once a Shanghai day
 * (app_greetings, claimed in the message's transaction).
 */

export interface AppStatus {
  openVisit: { villageFullName: string; startedAt: Date } | null;
  /** Links behind the pace they owe by Sunday night. */
  owedVillages: UnitLinkStanding[];
  owedHouseholds: HouseholdLinkStanding[];
  unacked: { count: number; latest: { content: string; senderName: string } | null };
}

/** True for the first call of the cadre's Shanghai day (the row rolls back with a failed message). */
export async function claimDailyStatus(manager: EntityManager, cadreId: number, now: Date): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO app_greetings (cadre_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING cadre_id`,
    [cadreId, shanghaiDate(now)],
  );
  return rows.length > 0;
}

export async function appStatus(manager: EntityManager, cadreId: number, now: Date): Promise<AppStatus> {
  const visit = await openVisit(manager, cadreId);
  const village = visit && await manager.getRepository(Region).findOneByOrFail({ id: visit.villageId });
  const sundayNight = new Date(startOfShanghaiDay(addDays(weekStart(shanghaiDate(now)), 7)).getTime() - 1);
  const standing = await standingForCadre(manager, cadreId, sundayNight);
  const notices: { content: string; sender_name: string; total: number }[] = await manager.query(
    `SELECT n.content, c.name AS sender_name, count(*) OVER ()::int AS total
       FROM notice_recipients nr JOIN notices n ON n.id = nr.notice_id JOIN cadres c ON c.id = n.sender_id
      WHERE nr.cadre_id = $1 AND nr.acked_at IS NULL
      ORDER BY n.created_at DESC, n.id DESC LIMIT 1`,
    [cadreId],
  );
  return {
    openVisit: visit && village ? { villageFullName: village.fullName, startedAt: visit.startedAt } : null,
    owedVillages: standing.villages.filter(isVillageBehind),
    owedHouseholds: standing.households.filter(isHouseholdBehind),
    unacked: {
      count: notices[0]?.total ?? 0,
      latest: notices[0] ? { content: notices[0].content, senderName: notices[0].sender_name } : null,
    },
  };
}
