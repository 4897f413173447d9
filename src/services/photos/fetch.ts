import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { MediaFile } from '../../wecom/client';
import { WecomApiError } from '../../wecom/errors';
import { addToOutbox, textMessage } from '../outbox/write';
import { checkImage, MAX_PHOTO_BYTES } from './image-check';
import { photoKey, type PhotoStorage } from './storage';
import { makeThumbnail, thumbKey } from './thumbnail';

/**
 * Fetching a picture with media/get and storing it by content hash. Called by
 * the photo-fetch job (jobs/photo-fetch.ts), which retries what may pass on a
 * later try (WeCom or storage down) and gives up on what cannot (an unknown
 * or expired MediaId, a file that is not a JPEG/PNG or is too large); then
 * the sender is told through the outbox, since their chat reply went out before.
 */

const NOT_IMAGE = '您刚才发送的文件不是 JPEG 或 PNG 图片，未保存。请以照片形式重新发送。';
const TOO_LARGE = `您刚才发送的图片超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB，未保存。请压缩后重新发送。`;
const FETCH_FAILED = '您刚才发送的图片未能从企业微信取回，未保存。请重新发送。';
const DUPLICATE = '这张照片之前已经收到过，未重复保存。';

export interface PhotoFetchDeps {
  db: DataSource;
  wecom: { mediaGet(mediaId: string): Promise<MediaFile> };
  storage: PhotoStorage;
  logger: Logger;
  /** Hands committed outbox rows to delivery at once (OutboxDispatcher.dispatch). */
  dispatch?: (outboxIds: number[]) => Promise<void>;
}

/** The row is not visible yet (its chat transaction has not committed): try again shortly. */
export class PhotoNotReady extends Error {
  constructor(id: number) {
    super(`photo ${id} not found (yet)`);
    this.name = 'PhotoNotReady';
  }
}

export type FetchOutcome = 'stored' | 'duplicate' | 'refused' | 'skipped';

export type FailReason = 'not_image' | 'too_large' | 'fetch_failed';

interface PhotoRow {
  id: number;
  cadre_id: number;
  media_id: string;
  status: string;
  userid: string;
}

/** Fetches and stores one photo; throws on errors worth retrying. */
export async function fetchAndStorePhoto(deps: PhotoFetchDeps, photoId: number, now: Date): Promise<FetchOutcome> {
  const log = deps.logger.child({ area: 'photos', photoId });
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
  const rows: PhotoRow[] = await deps.db.query(
    `WITH u AS (UPDATE photos SET attempts = attempts + 1 WHERE id = $1 AND status = 'fetching' RETURNING id, cadre_id, media_id, status)
     SELECT u.id, u.cadre_id, u.media_id, u.status, c.userid FROM u JOIN cadres c ON c.id = u.cadre_id`,
    [photoId],
  );
  if (rows.length === 0) {
    const exists: unknown[] = await deps.db.query('SELECT 1 FROM photos WHERE id = $1', [photoId]);
    if (exists.length === 0) throw new PhotoNotReady(photoId);
    return 'skipped';
  }
  const row = rows[0];

  let media: MediaFile;
  try {
    media = await deps.wecom.mediaGet(row.media_id);
  } catch (err) {
    // 40007 invalid media_id (unknown or past its three days): no retry will help.
    if (err instanceof WecomApiError && err.kind === 'permanent') {
      log.warn({ errcode: err.errcode }, 'media/get refused the MediaId');
      await failPhoto(deps, photoId, 'fetch_failed', `media/get errcode ${err.errcode}`);
      return 'refused';
    }
    throw err;
  }

  const verdict = checkImage(media.data);
  if (!verdict.ok) {
    log.info({ reason: verdict.reason, bytes: media.data.length }, 'picture refused');
    await failPhoto(deps, photoId, verdict.reason === 'too_large' ? 'too_large' : 'not_image', verdict.reason);
    return 'refused';
  }

  const sha256 = createHash('sha256').update(media.data).digest('hex');
  const key = photoKey(sha256, verdict.type);
  await deps.storage.put(key, media.data, verdict.type);
  const thumb = makeThumbnail(media.data, verdict.type);
  if (thumb) await deps.storage.put(thumbKey(sha256), thumb, 'image/jpeg');

  let outboxIds: number[] = [];
  const outcome = await deps.db.transaction(async (manager): Promise<FetchOutcome> => {
    const locked: { status: string }[] = await manager.query('SELECT status FROM photos WHERE id = $1 FOR UPDATE', [photoId]);
    if (locked[0]?.status !== 'fetching') return 'skipped';
    // Serialises writers of the same content, so the unique sha256 never aborts the transaction.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`photo:${sha256}`]);
    const same: { id: number; kind: string | null }[] = await manager.query(
      'SELECT id, kind FROM photos WHERE sha256 = $1 AND id <> $2', [sha256, photoId]);
    if (same.length > 0) {
      outboxIds = await keepEarlier(manager, photoId, same[0], row.userid);
      return 'duplicate';
    }
    await manager.query(
      `UPDATE photos SET status = 'stored', sha256 = $2, content_type = $3, size_bytes = $4, storage_key = $5, stored_at = $6, error = NULL
        WHERE id = $1`,
      [photoId, sha256, verdict.type, media.data.length, key, now],
    );
    return 'stored';
  });
  if (outboxIds.length > 0 && deps.dispatch) await deps.dispatch(outboxIds).catch(() => undefined);
  log.info({ outcome, bytes: media.data.length, storage: deps.storage.describe }, 'photo fetched');
  return outcome;
}

/**
 * The same picture was stored before: the earlier photo stays; it takes this
 * message's attachment when it had none; this row goes.
 */
async function keepEarlier(manager: EntityManager, photoId: number, earlier: { id: number; kind: string | null }, userid: string): Promise<number[]> {
  if (earlier.kind === null) {
    await manager.query(
      `UPDATE photos e SET kind = d.kind, visit_id = d.visit_id, household_visit_id = d.household_visit_id, problem_id = d.problem_id
         FROM photos d WHERE e.id = $1 AND d.id = $2`,
      [earlier.id, photoId],
    );
  }
  await manager.query('DELETE FROM photos WHERE id = $1', [photoId]);
  return addToOutbox(manager, [textMessage(`photo:${photoId}:duplicate`, userid, DUPLICATE)]);
}

/** Marks the photo failed and tells the sender why, through the outbox. */
export async function failPhoto(deps: Pick<PhotoFetchDeps, 'db' | 'dispatch'>, photoId: number, reason: FailReason, detail: string): Promise<void> {
  const text = reason === 'not_image' ? NOT_IMAGE : reason === 'too_large' ? TOO_LARGE : FETCH_FAILED;
  let outboxIds: number[] = [];
  await deps.db.transaction(async (manager) => {
    const rows: { userid: string }[] = await manager.query(
      `WITH u AS (
         UPDATE photos SET status = 'failed', error = $2, stored_at = NULL WHERE id = $1 AND status = 'fetching' RETURNING cadre_id)
       SELECT c.userid FROM u JOIN cadres c ON c.id = u.cadre_id`,
      [photoId, `${reason}: ${detail}`.slice(0, 500)],
    );
    if (rows.length === 0) return;
    outboxIds = await addToOutbox(manager, [textMessage(`photo:${photoId}:failed`, rows[0].userid, text)]);
  });
  if (outboxIds.length > 0 && deps.dispatch) await deps.dispatch(outboxIds).catch(() => undefined);
}

/** Photos still 'fetching' long after they were sent (their job was lost): ids to queue again. */
export async function stalePhotoIds(db: DataSource, now: Date, olderThanSeconds = 120, limit = 200): Promise<number[]> {
  const rows: { id: number }[] = await db.query(
    `SELECT id FROM photos WHERE status = 'fetching' AND created_at <= $1 ORDER BY created_at LIMIT $2`,
    [new Date(now.getTime() - olderThanSeconds * 1000), limit],
  );
  return rows.map((r) => r.id);
}
