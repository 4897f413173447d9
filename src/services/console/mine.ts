import type { Cadre } from '../../../entities';
import { shanghaiYearRange } from '../../lib/time';
import { visitPhotos, type PhotoLink } from '../photos/query';
import { placeName } from '../../lib/place';
import type { Db } from '../../lib/db';

/** A cadre's own records for the console: this year's check-ins and the problems they reported or own. */

const RECENT = 30;

export interface MyRecords {
  visits: { id: number; village: string; startedAt: Date; endedAt: Date | null; durationMinutes: number | null; verified: boolean; photos: PhotoLink[] }[];
  problems: { id: number; code: string; village: string; description: string; status: string; deadline: string }[];
  visitsThisYear: number;
}

export async function myRecords(db: Db, cadre: Pick<Cadre, 'id'>, now: Date): Promise<MyRecords> {
  const { from, to } = shanghaiYearRange(now);
  const visits: MyRecords['visits'] = await db.query(
    `SELECT v.id, r.full_name AS village, v.started_at AS "startedAt", v.ended_at AS "endedAt",
            v.duration_minutes AS "durationMinutes", v.verified
       FROM visits v JOIN regions r ON r.id = v.village_id
      WHERE v.cadre_id = $1 AND v.revoked_at IS NULL ORDER BY v.started_at DESC LIMIT ${RECENT}`,
    [cadre.id],
  );
  const [{ n }]: { n: number }[] = await db.query(
    'SELECT count(*)::int AS n FROM visits WHERE cadre_id = $1 AND revoked_at IS NULL AND started_at >= $2 AND started_at < $3',
    [cadre.id, from, to],
  );
  const problems: MyRecords['problems'] = await db.query(
    `SELECT p.id, p.code, r.full_name AS village, p.description, p.status, to_char(p.deadline, 'YYYY-MM-DD') AS deadline
       FROM problems p JOIN regions r ON r.id = p.village_id
      WHERE (p.reporter_id = $1 OR p.owner_cadre_id = $1) AND p.revoked_at IS NULL
      ORDER BY p.reported_at DESC LIMIT ${RECENT}`,
    [cadre.id],
  );
  const photos = await visitPhotos(db, visits.map((v) => v.id));
  // Villages as people read them (天水市武山县鸳鸯镇丁门村), never the stored path.
  return {
    visits: visits.map((v) => ({ ...v, village: placeName(v.village), photos: photos.get(v.id) ?? [] })),
    problems: problems.map((p) => ({ ...p, village: placeName(p.village) })),
    visitsThisYear: n,
  };
}
