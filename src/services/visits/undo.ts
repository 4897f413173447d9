import type { EntityManager } from 'typeorm';
import { addProblemEvent } from '../problems/ledger';
import { getRule } from '../rules/rules';
import { reopenMustVisitsClosedBy } from '../must-visits/events';
import { revokeMustVisit } from '../must-visits/revoke';

/**
 * 撤销: the sender's latest record (check-in, household visit, diary entry,
 * problem report, 六送 help act, 督查 inspection or 五必访 报告) within 'chat.undo_minutes' is soft-deleted
 * (revoked_at) and drops out of every count. A problem keeps its row and number with the status
 * 'revoked' (已撤销) and a 'revoked' event, unless someone has acted on it since
 * (any event after its report: closed, reopened, recategorised, escalated):
 * then nothing is undone. A 报告 is undone unless visited or escalated since
 * (must-visits/revoke.ts).
 */

export type RecordKind = 'visit' | 'household_visit' | 'diary' | 'problem' | 'help_act' | 'inspection' | 'must_visit';

export type UndoResult =
  | { kind: 'revoked'; record: RecordKind; id: number; at: Date; minutes: number; code?: string;
      /** A 走访 that carried a 六送 help act, both undone. */
      withHelpAct?: boolean;
      /** A 报告's household and reason. */
      mustVisit?: { householder: string; kind: string } }
  | { kind: 'acted_on'; code: string; lastEvent: string; minutes: number }
  | { kind: 'must_visit_acted_on'; householder: string; eventKind: string; visited: boolean; minutes: number }
  | { kind: 'nothing'; minutes: number };

const TABLES: Record<RecordKind, { table: string; at: string; who: string }> = {
  visit: { table: 'visits', at: 'started_at', who: 'cadre_id' },
  household_visit: { table: 'household_visits', at: 'visited_at', who: 'cadre_id' },
  diary: { table: 'diary_entries', at: 'created_at', who: 'cadre_id' },
  problem: { table: 'problems', at: 'reported_at', who: 'reporter_id' },
  help_act: { table: 'help_acts', at: 'acted_at', who: 'cadre_id' },
  inspection: { table: 'inspections', at: 'inspected_at', who: 'cadre_id' },
  must_visit: { table: 'must_visits', at: 'reported_at', who: 'reporter_id' },
};

export async function undoLast(manager: EntityManager, cadreId: number, now: Date): Promise<UndoResult> {
  const minutes = await getRule(manager, 'chat.undo_minutes');
  const since = new Date(now.getTime() - minutes * 60000);
  const union = (Object.keys(TABLES) as RecordKind[]).map((k) => {
    const t = TABLES[k];
    return `(SELECT '${k}' AS kind, id, ${t.at} AS at FROM ${t.table}
              WHERE ${t.who} = $1 AND revoked_at IS NULL AND ${t.at} > $2 AND ${t.at} <= $3
              ORDER BY ${t.at} DESC, id DESC LIMIT 1)`;
  }).join(' UNION ALL ');
  const rows: { kind: RecordKind; id: number; at: Date }[] = await manager.query(
    `SELECT * FROM (${union}) x ORDER BY at DESC, id DESC LIMIT 1`, [cadreId, since, now]);
  if (rows.length === 0) return { kind: 'nothing', minutes };
  const { kind, id, at } = rows[0];
  if (kind === 'problem') return undoProblem(manager, cadreId, id, at, now, minutes);
  if (kind === 'must_visit') {
    const r = await revokeMustVisit(manager, id, now);
    if (r.kind === 'acted_on') return { ...r, kind: 'must_visit_acted_on', minutes };
    return { kind: 'revoked', record: kind, id, at, minutes, mustVisit: { householder: r.householder, kind: r.eventKind } };
  }
  await manager.query(`UPDATE ${TABLES[kind].table} SET revoked_at = $2 WHERE id = $1`, [id, now]);
  // An undone household visit no longer closes the 五必访 events it closed.
  if (kind === 'household_visit') await reopenMustVisitsClosedBy(manager, id);
  if (kind === 'household_visit' || kind === 'help_act') {
    const paired = await undoPairedVisitAndHelp(manager, kind, id, now);
    if (paired) return { kind: 'revoked', record: 'household_visit', id: paired.visitId, at, minutes, withHelpAct: true };
  }
  return { kind: 'revoked', record: kind, id, at, minutes };
}

/**
 * A 走访 carrying a 六送 kind (走访 张三 送技术 …) recorded the visit and the help
 * act at the same instant for the same household: 撤销 undoes both. Returns the
 * visit's id when there was such a pair.
 */
async function undoPairedVisitAndHelp(
  manager: EntityManager, kind: 'household_visit' | 'help_act', id: number, now: Date,
): Promise<{ visitId: number } | null> {
  const [from, other] = kind === 'household_visit'
    ? [{ table: 'household_visits', at: 'visited_at' }, { table: 'help_acts', at: 'acted_at' }]
    : [{ table: 'help_acts', at: 'acted_at' }, { table: 'household_visits', at: 'visited_at' }];
  const rows: { id: number }[] = await manager.query(
    `WITH undone AS (
       UPDATE ${other.table} o SET revoked_at = $2
         FROM ${from.table} f
        WHERE f.id = $1 AND o.cadre_id = f.cadre_id AND o.household_id = f.household_id
          AND o.${other.at} = f.${from.at} AND o.revoked_at IS NULL
       RETURNING o.id)
     SELECT id FROM undone`, [id, now]);
  if (rows.length === 0) return null;
  if (kind === 'help_act') {
    for (const r of rows) await reopenMustVisitsClosedBy(manager, r.id);
    return { visitId: rows[0].id };
  }
  return { visitId: id };
}

async function undoProblem(
  manager: EntityManager, cadreId: number, id: number, at: Date, now: Date, minutes: number,
): Promise<UndoResult> {
  const [p]: { code: string; lastEvent: string | null }[] = await manager.query(
    `SELECT p.code, (SELECT e.kind FROM problem_events e WHERE e.problem_id = p.id AND e.kind <> 'reported'
                       ORDER BY e.at DESC, e.id DESC LIMIT 1) AS "lastEvent"
       FROM problems p WHERE p.id = $1 FOR UPDATE`, [id]);
  if (p.lastEvent !== null) return { kind: 'acted_on', code: p.code, lastEvent: p.lastEvent, minutes };
  await manager.query(`UPDATE problems SET revoked_at = $2, status = 'revoked' WHERE id = $1`, [id, now]);
  await addProblemEvent(manager, id, 'revoked', cadreId, now);
  return { kind: 'revoked', record: 'problem', id, at, minutes, code: p.code };
}
