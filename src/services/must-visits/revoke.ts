import type { EntityManager } from 'typeorm';
import type { MustVisitKind } from '../../../entities';
import { addToOutbox, textMessage } from '../outbox/write';
import { placeName } from '../../lib/place';
import { formatShanghai } from '../../lib/time';

/**
 * 撤销 of a 报告 (docs/design.md §2, 五必访): the event is soft-deleted
 * (revoked_at) and drops out of every count, the digests and 进度, unless it
 * has been acted on since it was reported: visited (closed by a 走访) or
 * reported to the leaders as overdue. The linked cadre who was told of the
 * event is told it was withdrawn, through the outbox, in the same transaction.
 */

const WITHDRAWN = (reporter: string, reported: string, householder: string, village: string, kind: string) =>
  `【五必访】已撤销：${reporter}${reported}报告的${householder}（${village}）${kind}已撤销，无需再为此走访。`;

export type RevokeMustVisitResult =
  | { kind: 'revoked'; householder: string; eventKind: MustVisitKind }
  | { kind: 'acted_on'; householder: string; eventKind: MustVisitKind; visited: boolean };

export async function revokeMustVisit(manager: EntityManager, id: number, now: Date): Promise<RevokeMustVisitResult> {
  const [e]: {
    kind: MustVisitKind; reporter_id: number; reported_at: Date; done_at: Date | null; escalated_at: Date | null;
    householder: string; village: string; reporter: string; cadre_id: number | null; userid: string | null;
  }[] = await manager.query(
    `SELECT m.kind, m.reporter_id, m.reported_at, m.done_at, m.escalated_at, h.householder, r.full_name AS village,
            rc.name AS reporter, m.cadre_id, c.userid
       FROM must_visits m JOIN households h ON h.id = m.household_id JOIN regions r ON r.id = m.village_id
       JOIN cadres rc ON rc.id = m.reporter_id LEFT JOIN cadres c ON c.id = m.cadre_id AND c.active
      WHERE m.id = $1 FOR UPDATE OF m`, [id]);
  if (e.done_at !== null || e.escalated_at !== null) {
    return { kind: 'acted_on', householder: e.householder, eventKind: e.kind, visited: e.done_at !== null };
  }
  await manager.query('UPDATE must_visits SET revoked_at = $2 WHERE id = $1', [id, now]);
  // Only a cadre other than the reporter was told of the event (events.ts reportMustVisit).
  if (e.cadre_id !== null && e.cadre_id !== e.reporter_id && e.userid) {
    await addToOutbox(manager, [textMessage(`must-visit-revoked:${id}`, e.userid,
      WITHDRAWN(e.reporter, formatShanghai(new Date(e.reported_at), now), e.householder,
        placeName(e.village, 'county'), e.kind))]);
  }
  return { kind: 'revoked', householder: e.householder, eventKind: e.kind };
}
