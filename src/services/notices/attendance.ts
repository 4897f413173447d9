import { pathIds } from '../people/regions';
import { NOTICE_KINDS, type NoticeKind } from '../../../entities';
import type { Db } from '../../lib/db';

/**
 * 五必到 attendance per notice kind, for the digests: of the notices sent in a
 * window to a region or below it, how many recipients checked in at a village
 * of the notice's scope between the notice and its end (attend_until, else
 * 'notice.report_hours' after it; never after `asOf`). A notice counts for its
 * scope region and every region above it.
 */

export interface KindAttendance {
  kind: NoticeKind;
  notices: number;
  recipients: number;
  attended: number;
}

export async function noticeAttendanceByKind(
  db: Db, prefix: string, regionIds: number[], window: [Date, Date], asOf: Date, reportHours: number,
): Promise<Map<number, KindAttendance[]>> {
  const until = new Date(Math.min(window[1].getTime(), asOf.getTime()));
  const rows: { path: string; kind: NoticeKind; recipients: number; attended: number }[] = await db.query(
    `WITH ns AS (
       SELECT n.id, n.kind, n.created_at, r.path,
              least(coalesce(n.attend_until, n.created_at + make_interval(hours => $5)), $4) AS window_end
         FROM notices n JOIN regions r ON r.id = n.scope_region_id
        WHERE r.path LIKE $1 AND n.created_at >= $2 AND n.created_at < $3)
     SELECT ns.path, ns.kind, count(nr.cadre_id)::int AS recipients,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM visits v JOIN regions vr ON vr.id = v.village_id
               WHERE v.cadre_id = nr.cadre_id AND v.revoked_at IS NULL AND v.started_at >= ns.created_at
                 AND v.started_at < ns.window_end AND vr.path LIKE ns.path || '%'))::int AS attended
       FROM ns LEFT JOIN notice_recipients nr ON nr.notice_id = ns.id
      GROUP BY ns.id, ns.path, ns.kind`,
    [prefix, window[0], until, asOf, reportHours],
  );
  const wanted = new Set(regionIds);
  const sums = new Map<number, Map<NoticeKind, KindAttendance>>();
  for (const r of rows) {
    for (const id of pathIds(r.path)) {
      if (!wanted.has(id)) continue;
      const byKind = sums.get(id) ?? (sums.set(id, new Map()), sums.get(id)!);
      const k = byKind.get(r.kind) ?? { kind: r.kind, notices: 0, recipients: 0, attended: 0 };
      byKind.set(r.kind, { kind: r.kind, notices: k.notices + 1, recipients: k.recipients + r.recipients, attended: k.attended + r.attended });
    }
  }
  const order = (a: KindAttendance, b: KindAttendance) => NOTICE_KINDS.indexOf(a.kind) - NOTICE_KINDS.indexOf(b.kind);
  return new Map(regionIds.map((id) => [id, [...(sums.get(id)?.values() ?? [])].sort(order)]));
}
