import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Region } from '../../../entities';
import { addToOutbox } from '../outbox/write';
import { shanghaiDate } from '../../lib/time';
import { rankings } from './rankings';
import { reportDocx, reportTitle } from './report-docx';
import { workSummary, type WorkPeriod } from './week-work';
import type { Db } from '../../lib/db';

/**
 * The 通报 of a scope and period: built on the server (report-docx.ts) for the
 * console's download, and sent to the scope's WeCom groups as a file through
 * the outbox. The outbox row carries the document's bytes (base64), so what a
 * group receives is the document as it stood when the leader pressed 发送, and
 * a WeCom failure delays the file but loses nothing: delivery uploads it to
 * the group robot (webhook/upload_media) and sends the media_id at each attempt.
 */

export interface BuiltReport {
  filename: string;
  data: Buffer;
  /** Hash of the figures behind the document (not of its bytes, which carry a creation time). */
  digest: string;
}

export async function buildReport(db: Db, scope: Region, period: WorkPeriod, now: Date): Promise<BuiltReport> {
  const [summary, ranked] = [await workSummary(db, scope, period), await rankings(db, scope, period, now)];
  const issuedOn = shanghaiDate(now);
  const data = await reportDocx({ scopeName: scope.name, scopeLevel: scope.level, summary, rankings: ranked, issuedOn });
  const digest = createHash('sha256').update(JSON.stringify({ summary, ranked, issuedOn })).digest('hex').slice(0, 16);
  return { filename: `${reportTitle(scope.name)}（${period.from}至${period.to}）.docx`, data, digest };
}

export interface ReportSent {
  /** The scope's groups the file goes to. */
  groups: string[];
  /** Outbox rows written now: 0 when this very 通报 was already sent to every group. */
  outboxIds: number[];
}

/**
 * Writes one outbox row per group of the scope (groups.scope_region_id) in one
 * transaction. The key names the scope, period, group and the figures' hash:
 * pressing 发送 twice sends the same 通报 once, and a changed one again.
 */
export async function sendReport(db: Db, scope: Region, period: WorkPeriod, now: Date): Promise<ReportSent> {
  const groups: { id: number; name: string }[] = await db.query(
    'SELECT id, name FROM groups WHERE scope_region_id = $1 ORDER BY id', [scope.id]);
  if (groups.length === 0) return { groups: [], outboxIds: [] };
  const report = await buildReport(db, scope, period, now);
  const base64 = report.data.toString('base64');
  const outboxIds = await db.transaction((m: EntityManager) => addToOutbox(m, groups.map((g) => ({
    key: `report:${scope.id}:${period.from}:${period.to}:${g.id}:${report.digest}`,
    channel: 'robot' as const,
    to: String(g.id),
    payload: { msgtype: 'file' as const, file: { filename: report.filename, base64 } },
  }))));
  return { groups: groups.map((g) => g.name), outboxIds };
}
