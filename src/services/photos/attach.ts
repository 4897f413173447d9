import type { EntityManager } from 'typeorm';
import type { Cadre, PhotoKind } from '../../../entities';
import { isLeader } from '../people/cadres';
import { shanghaiDate } from '../../lib/time';
import { VALID_ON } from '../people/links';

/**
 * Which record a picture sent in chat belongs to. The latest record the
 * sender made in the last ATTACH_WINDOW_MINUTES (a check-in, a household
 * visit, a reported problem, a 销号) wins; otherwise their open check-in;
 * otherwise the picture is kept unattached until `附图 <问题编号>`.
 * The most recent record wins over an older open check-in so that a picture
 * taken right after 走访 or 上报 during a long check-in lands on that record.
 */

export const ATTACH_WINDOW_MINUTES = 30;
/** `附图` picks an unattached picture sent within this many hours. */
export const UNATTACHED_PICK_HOURS = 24;

export interface AttachTarget {
  kind: PhotoKind;
  /** visits.id, household_visits.id or problems.id. */
  id: number;
  /** When the record was made. */
  at: Date;
  villageFullName: string;
  /** household_visit: the householder; problem: the code. */
  label: string | null;
}

type Actor = Pick<Cadre, 'id' | 'unitId' | 'role' | 'scopeRegionId'>;

/** The record a picture sent now by this cadre attaches to, or null. */
export async function findAttachTarget(manager: EntityManager, cadreId: number, now: Date): Promise<AttachTarget | null> {
  const rows: { kind: PhotoKind; id: number; at: Date; full_name: string; label: string | null }[] = await manager.query(
    `WITH recent AS (
       SELECT 'visit' AS kind, v.id, v.started_at AS at, v.village_id, NULL AS label, 1 AS prio
         FROM visits v WHERE v.cadre_id = $1 AND v.revoked_at IS NULL AND v.started_at BETWEEN $3 AND $2
       UNION ALL
       SELECT 'household_visit', hv.id, hv.visited_at, hv.village_id, h.householder, 1
         FROM household_visits hv JOIN households h ON h.id = hv.household_id
        WHERE hv.cadre_id = $1 AND hv.revoked_at IS NULL AND hv.visited_at BETWEEN $3 AND $2
       UNION ALL
       SELECT 'problem', p.id, p.reported_at, p.village_id, p.code, 1
         FROM problems p WHERE p.reporter_id = $1 AND p.revoked_at IS NULL AND p.reported_at BETWEEN $3 AND $2
       UNION ALL
       SELECT 'problem_close', p.id, p.closed_at, p.village_id, p.code, 1
         FROM problems p WHERE p.closed_by_id = $1 AND p.revoked_at IS NULL AND p.status = 'closed' AND p.closed_at BETWEEN $3 AND $2
       UNION ALL
       SELECT 'visit', v.id, v.started_at, v.village_id, NULL, 0
         FROM visits v WHERE v.cadre_id = $1 AND v.revoked_at IS NULL AND v.ended_at IS NULL AND v.started_at <= $2
     )
     SELECT r.kind, r.id, r.at, g.full_name, r.label
       FROM recent r JOIN regions g ON g.id = r.village_id
      ORDER BY r.prio DESC, r.at DESC, (r.kind <> 'visit') DESC, r.id DESC
      LIMIT 1`,
    [cadreId, now, new Date(now.getTime() - ATTACH_WINDOW_MINUTES * 60_000)],
  );
  const r = rows[0];
  return r ? { kind: r.kind, id: r.id, at: new Date(r.at), villageFullName: r.full_name, label: r.label } : null;
}

/** The column a kind of attachment is kept in. */
export function attachColumn(kind: PhotoKind): 'visit_id' | 'household_visit_id' | 'problem_id' {
  return kind === 'visit' ? 'visit_id' : kind === 'household_visit' ? 'household_visit_id' : 'problem_id';
}

export type RecordImageResult =
  | { kind: 'recorded'; photoId: number; target: AttachTarget | null }
  | { kind: 'duplicate'; photoId: number };

/**
 * Records a picture message as a photo row (status 'fetching') attached to
 * its record. A repeated MsgId records nothing new. The caller queues the fetch.
 */
export async function recordImage(
  manager: EntityManager,
  input: { cadreId: number; inboundId: number | null; msgId: string | null; mediaId: string; now: Date },
): Promise<RecordImageResult> {
  const target = await findAttachTarget(manager, input.cadreId, input.now);
  const inserted: { id: number }[] = await manager.query(
    `INSERT INTO photos (cadre_id, inbound_id, msg_id, media_id, status, kind, visit_id, household_visit_id, problem_id, created_at)
     VALUES ($1, $2, $3, $4, 'fetching', $5, $6, $7, $8, $9)
     ON CONFLICT (msg_id) DO NOTHING
     RETURNING id`,
    [
      input.cadreId, input.inboundId, input.msgId, input.mediaId, target?.kind ?? null,
      target?.kind === 'visit' ? target.id : null,
      target?.kind === 'household_visit' ? target.id : null,
      target && attachColumn(target.kind) === 'problem_id' ? target.id : null,
      input.now,
    ],
  );
  if (inserted.length > 0) return { kind: 'recorded', photoId: inserted[0].id, target };
  const [row]: { id: number }[] = await manager.query('SELECT id FROM photos WHERE msg_id = $1', [input.msgId]);
  return { kind: 'duplicate', photoId: row.id };
}

export type AttachToProblemResult =
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'no_photo' }
  | { kind: 'attached'; photoId: number; problemCode: string; closed: boolean; count: number };

/**
 * `附图 <问题编号>`: the sender's latest unattached picture (last
 * UNATTACHED_PICK_HOURS), else their latest picture of the last
 * ATTACH_WINDOW_MINUTES, moves to the problem. Only people who may close the
 * problem, or who are linked to its village, may add evidence to it.
 */
export async function attachLatestToProblem(
  manager: EntityManager,
  input: { actor: Actor; code: string; now: Date },
): Promise<AttachToProblemResult> {
  const problems: { id: number; status: string; code: string; village_id: number; reporter_id: number; owner_cadre_id: number | null; owner_unit_id: number | null }[] =
    await manager.query('SELECT id, status, code, village_id, reporter_id, owner_cadre_id, owner_unit_id FROM problems WHERE code = $1 AND revoked_at IS NULL', [input.code]);
  const p = problems[0];
  if (!p) return { kind: 'not_found' };
  if (!(await mayAddEvidence(manager, input.actor, p, input.now))) return { kind: 'forbidden' };

  const now = input.now.getTime();
  const photos: { id: number }[] = await manager.query(
    `SELECT id FROM photos
      WHERE cadre_id = $1 AND status <> 'failed'
        AND ((kind IS NULL AND created_at >= $2) OR created_at >= $3)
        AND created_at <= $4
      ORDER BY (kind IS NULL) DESC, created_at DESC, id DESC
      LIMIT 1
      FOR UPDATE`,
    [input.actor.id, new Date(now - UNATTACHED_PICK_HOURS * 3600_000), new Date(now - ATTACH_WINDOW_MINUTES * 60_000), input.now],
  );
  if (photos.length === 0) return { kind: 'no_photo' };
  const closed = p.status === 'closed';
  await manager.query(
    `UPDATE photos SET kind = $2, problem_id = $3, visit_id = NULL, household_visit_id = NULL WHERE id = $1`,
    [photos[0].id, closed ? 'problem_close' : 'problem', p.id],
  );
  return { kind: 'attached', photoId: photos[0].id, problemCode: p.code, closed, count: await countProblemPhotos(manager, p.id) };
}

/**
 * 拍照上报 (the menu's picture button, then 上报): the sender's pictures kept
 * without a record in the last ATTACH_WINDOW_MINUTES go to the problem they
 * have just reported. Returns how many moved.
 */
export async function attachKeptToProblem(
  manager: EntityManager, input: { cadreId: number; problemId: number; now: Date },
): Promise<number> {
  const [{ n }]: { n: number }[] = await manager.query(
    `WITH moved AS (
       UPDATE photos SET kind = 'problem', problem_id = $2
        WHERE cadre_id = $1 AND kind IS NULL AND status <> 'failed' AND created_at >= $3 AND created_at <= $4
        RETURNING id)
     SELECT count(*)::int AS n FROM moved`,
    [input.cadreId, input.problemId, new Date(input.now.getTime() - ATTACH_WINDOW_MINUTES * 60_000), input.now],
  );
  return n;
}

/** Photos on a problem that are stored or still being fetched. */
export async function countProblemPhotos(manager: EntityManager, problemId: number): Promise<number> {
  const [row]: { n: number }[] = await manager.query(
    `SELECT count(*)::int AS n FROM photos WHERE problem_id = $1 AND status <> 'failed'`, [problemId]);
  return row.n;
}

async function mayAddEvidence(
  manager: EntityManager,
  actor: Actor,
  p: { village_id: number; reporter_id: number; owner_cadre_id: number | null; owner_unit_id: number | null },
  now: Date,
): Promise<boolean> {
  if (p.reporter_id === actor.id || p.owner_cadre_id === actor.id) return true;
  if (p.owner_unit_id !== null && p.owner_unit_id === actor.unitId) return true;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM regions s, regions v
      WHERE $1::boolean AND s.id = $2 AND v.id = $3 AND v.path LIKE s.path || '%'
     UNION ALL
     SELECT 1 FROM unit_village_links l
      WHERE l.unit_id = $4 AND l.village_id = $3 AND ${VALID_ON('l', '$5')}
     UNION ALL
     SELECT 1 FROM cadre_household_links l JOIN households h ON h.id = l.household_id
      WHERE l.cadre_id = $6 AND h.village_id = $3 AND ${VALID_ON('l', '$5')}
     LIMIT 1`,
    [isLeader(actor) && actor.scopeRegionId !== null, actor.scopeRegionId ?? 0, p.village_id, actor.unitId ?? 0, shanghaiDate(now), actor.id],
  );
  return rows.length > 0;
}
