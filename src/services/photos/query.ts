import type { Cadre, PhotoKind, PhotoStatus, Region } from '../../../entities';
import { ForbiddenError, NotFoundError } from '../../lib/errors';
import type { Db } from '../../lib/db';

/**
 * Reading photos for the console: the photos of a record, and whether a
 * viewer may open one. A photo is as visible as the record it is attached
 * to: to the uploader, and to a leader or admin whose scope holds its
 * village (an unattached photo: its uploader only).
 */

export const NOT_YOURS = '该照片不在您的管辖范围内。';
const NO_PHOTO = '找不到该照片。';

export interface PhotoView {
  id: number;
  kind: PhotoKind | null;
  status: PhotoStatus;
  contentType: string | null;
  sizeBytes: number | null;
  uploader: string;
  uploaderId: number;
  createdAt: Date;
  /** Full picture and thumbnail, same-origin paths served by src/routes/photos.ts. */
  url: string;
  thumbUrl: string;
}

export type PhotoTarget = { problemId: number } | { visitId: number } | { householdVisitId: number };

/** Where a photo's village is: through whatever it is attached to. */
const VILLAGE_OF = `COALESCE(v.village_id, hv.village_id, pr.village_id)`;
const JOINS = `LEFT JOIN visits v ON v.id = p.visit_id
               LEFT JOIN household_visits hv ON hv.id = p.household_visit_id
               LEFT JOIN problems pr ON pr.id = p.problem_id`;

export const photoUrl = (id: number) => `/photos/${id}`;
export const thumbUrl = (id: number) => `/photos/${id}/thumb`;

interface PhotoRow { id: number; kind: PhotoKind | null; status: PhotoStatus; content_type: string | null; size_bytes: number | null; uploader: string; cadre_id: number; created_at: Date }

function view(r: PhotoRow): PhotoView {
  return {
    id: r.id, kind: r.kind, status: r.status, contentType: r.content_type, sizeBytes: r.size_bytes,
    uploader: r.uploader, uploaderId: r.cadre_id, createdAt: r.created_at, url: photoUrl(r.id), thumbUrl: thumbUrl(r.id),
  };
}

/** The photos on one record (failed ones left out), oldest first, and the record's village. */
export async function photosOf(db: Db, target: PhotoTarget): Promise<{ villageId: number | null; photos: PhotoView[] }> {
  const [column, table, id] =
    'problemId' in target ? ['problem_id', 'problems', target.problemId]
      : 'visitId' in target ? ['visit_id', 'visits', target.visitId]
        : ['household_visit_id', 'household_visits', target.householdVisitId];
  const owner: { village_id: number }[] = await db.query(`SELECT village_id FROM ${table} WHERE id = $1`, [id]);
  if (owner.length === 0) return { villageId: null, photos: [] };
  const rows: PhotoRow[] = await db.query(
    `SELECT p.id, p.kind, p.status, p.content_type, p.size_bytes, c.name AS uploader, p.cadre_id, p.created_at
       FROM photos p JOIN cadres c ON c.id = p.cadre_id
      WHERE p.${column} = $1 AND p.status <> 'failed'
      ORDER BY p.created_at, p.id`,
    [id],
  );
  return { villageId: owner[0].village_id, photos: rows.map(view) };
}

export interface StoredPhoto {
  id: number;
  storageKey: string;
  contentType: string;
  sha256: string;
}

/**
 * The stored photo a viewer asked for: 404 when there is none (or not yet
 * stored), 403 when it is outside the viewer's scope and not their own.
 */
export async function photoForViewer(db: Db, viewer: { cadre: Pick<Cadre, 'id'>; scope: Region | null }, photoId: number): Promise<StoredPhoto> {
  const rows: { id: number; cadre_id: number; status: string; storage_key: string | null; content_type: string | null; sha256: string | null; village_path: string | null }[] =
    await db.query(
      `SELECT p.id, p.cadre_id, p.status, p.storage_key, p.content_type, p.sha256, g.path AS village_path
         FROM photos p ${JOINS}
         LEFT JOIN regions g ON g.id = ${VILLAGE_OF}
        WHERE p.id = $1`,
      [photoId],
    );
  const p = rows[0];
  if (!p) throw new NotFoundError(`photo ${photoId}`, NO_PHOTO);
  const own = p.cadre_id === viewer.cadre.id;
  const inScope = viewer.scope !== null && p.village_path !== null && p.village_path.startsWith(viewer.scope.path);
  if (!own && !inScope) throw new ForbiddenError(`cadre ${viewer.cadre.id} asked for photo ${photoId} outside their scope`, NOT_YOURS);
  if (p.status !== 'stored' || !p.storage_key) throw new NotFoundError(`photo ${photoId} not stored`, NO_PHOTO);
  return { id: p.id, storageKey: p.storage_key, contentType: p.content_type!, sha256: p.sha256! };
}

/** Stored photos' absolute links per problem (one line each), for the ledger export's 照片 column. */
export async function photoLinks(db: Db, problemIds: number[], base: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (problemIds.length === 0) return out;
  const rows: { problem_id: number; ids: number[] }[] = await db.query(
    `SELECT problem_id, array_agg(id ORDER BY id) AS ids FROM photos
      WHERE problem_id = ANY($1) AND status = 'stored' GROUP BY problem_id`,
    [problemIds],
  );
  for (const r of rows) out.set(r.problem_id, r.ids.map((id) => `${base.replace(/\/$/, '')}${photoUrl(id)}`).join('\n'));
  return out;
}

export interface PhotoLink {
  id: number;
  url: string;
  thumbUrl: string;
}

/** Stored photos per check-in, for lists of visits. */
export async function visitPhotos(db: Db, visitIds: number[]): Promise<Map<number, PhotoLink[]>> {
  const out = new Map<number, PhotoLink[]>();
  if (visitIds.length === 0) return out;
  const rows: { id: number; visit_id: number }[] = await db.query(
    `SELECT id, visit_id FROM photos WHERE visit_id = ANY($1) AND status = 'stored' ORDER BY created_at, id`, [visitIds]);
  for (const r of rows) {
    const list = out.get(r.visit_id) ?? [];
    list.push({ id: r.id, url: photoUrl(r.id), thumbUrl: thumbUrl(r.id) });
    out.set(r.visit_id, list);
  }
  return out;
}
