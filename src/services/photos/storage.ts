import type { Config } from '../../config';
import { createLocalStorage } from './local-storage';
import { createS3Storage } from './s3-storage';

/**
 * Where photo bytes live: one small interface, two implementations (a folder
 * under config.dataDir, or an S3-compatible bucket). Keys are derived from the
 * content hash, so writing the same picture twice stores it once.
 */

export interface StoredObject {
  data: Buffer;
  contentType: string;
}

export interface PhotoStorage {
  /** Writes the object unless one with this key exists (keys name their content). */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  /** For logs and docs/operations.md: 'local:<dir>' or 's3:<bucket>'. */
  readonly describe: string;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

/** photos/ab/abcdef….jpg: a two-character fan-out keeps folders small. */
export function photoKey(sha256: string, contentType: string): string {
  return `photos/${sha256.slice(0, 2)}/${sha256}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

export function createPhotoStorage(config: Pick<Config, 'dataDir' | 's3'>): PhotoStorage {
  return config.s3 ? createS3Storage(config.s3) : createLocalStorage(config.dataDir);
}
