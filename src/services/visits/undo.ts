import type { EntityManager } from 'typeorm';
import { addProblemEvent } from '../problems/ledger';
import { getRule } from '../rules/rules';

/**
 * 撤销: the sender's latest record (check-in, household visit, diary entry or
 * problem report) within 'chat.undo_minutes' is soft-deleted (revoked_at) and
 * drops out of every count; a problem also gets a 'revoked' event.
 */

export type RecordKind = 'visit' | 'household_visit' | 'diary' | 'problem';

export type UndoResult =
  | { kind: 'revoked'; record: RecordKind; id: number; at: Date; minutes: number }
  | { kind: 'nothing'; minutes: number };

const TABLES: Record<RecordKind, { table: string; at: string; who: string }> = {
  visit: { table: 'visits', at: 'started_at', who: 'cadre_id' },
  household_visit: { table: 'household_visits', at: 'visited_at', who: 'cadre_id' },
  diary: { table: 'diary_entries', at: 'created_at', who: 'cadre_id' },
  problem: { table: 'problems', at: 'reported_at', who: 'reporter_id' },
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
  await manager.query(`UPDATE ${TABLES[kind].table} SET revoked_at = $2 WHERE id = $1`, [id, now]);
  if (kind === 'problem') await addProblemEvent(manager, id, 'revoked', cadreId, now);
  return { kind: 'revoked', record: kind, id, at, minutes };
}
