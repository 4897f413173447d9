import { NOTICE_KINDS, type Region } from '../../../entities';
import { noticeAttendanceByKind, type KindAttendance } from '../notices/attendance';
import { subtreeLike } from '../people/regions';
import { getRule } from '../rules/rules';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * 五必到 on the console's 通知回执 tab: for the notices sent in a range to the
 * scope or below it, per kind (会议, 突发, 活动, 交办), the notices, their
 * recipients and how many of them checked in at a village of the notice's
 * scope in its attendance window — the digests' figures (notices/attendance.ts).
 * Every kind is listed, with zeros when none was sent.
 */
export async function noticeKindsPage(
  db: Db, scope: Region, range: { from: Date; to: Date }, now: Date,
): Promise<{ kinds: (KindAttendance & { rate: number | null })[] }> {
  return consoleRead(db, async (m) => {
    const hours = await getRule(m, 'notice.report_hours');
    const byRegion = await noticeAttendanceByKind(m, subtreeLike(scope.path), [scope.id], [range.from, range.to], now, hours);
    const sent = new Map((byRegion.get(scope.id) ?? []).map((k) => [k.kind, k]));
    return {
      kinds: NOTICE_KINDS.map((kind) => {
        const k = sent.get(kind) ?? { kind, notices: 0, recipients: 0, attended: 0 };
        return { ...k, rate: k.recipients === 0 ? null : k.attended / k.recipients };
      }),
    };
  });
}
