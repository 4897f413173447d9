import type { MustVisitKind } from '../../../entities';
import type { Db } from '../../lib/db';

/**
 * 五必访 events as the console and the 五必访台账 export list them: each event
 * reported in a range, with its household, reporter, deadline, the visit that
 * closed it and its status at `asOf`. Undone events (撤销) are left out.
 */

export type MustVisitStatus = 'in_time' | 'late' | 'overdue' | 'open';

/** The status as users read it. */
export const MUST_VISIT_STATUS_TEXT: Record<MustVisitStatus, string> = {
  in_time: '按时走访', late: '逾期走访', overdue: '逾期未走访', open: '待走访',
};

/** in_time / late when visited (by its deadline or after), else overdue once its deadline passed, else open. */
export const STATUS_SQL = (asOf: string) => `CASE
    WHEN m.done_at IS NOT NULL AND m.done_at <= ${asOf} THEN CASE WHEN m.done_at <= m.due_at THEN 'in_time' ELSE 'late' END
    WHEN m.due_at < ${asOf} THEN 'overdue' ELSE 'open' END`;

export interface MustVisitLedgerRow {
  id: number;
  county: string;
  township: string;
  village: string;
  householder: string;
  kind: MustVisitKind;
  note: string;
  reporter: string;
  cadre: string | null;
  reportedAt: Date;
  dueAt: Date;
  doneAt: Date | null;
  status: MustVisitStatus;
}

/** The events reported in [from, to) at some villages, in village then report order (must_visits_village_due_idx). */
export function mustVisitLedgerRows(
  db: Db, villageIds: number[], range: { from: Date; to: Date }, asOf: Date,
): Promise<MustVisitLedgerRow[]> {
  return db.query(
    `SELECT m.id, split_part(r.full_name, '/', 3) AS county, split_part(r.full_name, '/', 4) AS township, r.name AS village,
            h.householder, m.kind, m.note, rc.name AS reporter, c.name AS cadre,
            m.reported_at AS "reportedAt", m.due_at AS "dueAt", CASE WHEN m.done_at <= $4 THEN m.done_at END AS "doneAt",
            ${STATUS_SQL('$4')} AS status
       FROM regions r JOIN must_visits m ON m.village_id = r.id JOIN households h ON h.id = m.household_id
       JOIN cadres rc ON rc.id = m.reporter_id LEFT JOIN cadres c ON c.id = m.cadre_id
      WHERE m.village_id = ANY($3) AND m.revoked_at IS NULL AND m.reported_at >= $1 AND m.reported_at < $2
      ORDER BY r.path, m.reported_at, m.id`,
    [range.from, range.to, villageIds, asOf],
  );
}
