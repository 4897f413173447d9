import { AwsClient } from 'aws4fetch';
import type { S3Config } from '../../config';
import type { PhotoStorage, StoredObject } from './storage';

/**
 * Photos in an S3-compatible bucket (AWS S3, MinIO, …) with path-style URLs
 * (`<endpoint>/<bucket>/<key>`, which MinIO and most self-hosted servers
 * expect), signed with AWS Signature V4 by aws4fetch. The secret key is never logged.
 */

const TIMEOUT_MS = 30_000;

export class S3Error extends Error {
  constructor(readonly op: string, readonly status: number) {
    super(`S3 ${op} answered HTTP ${status}`);
    this.name = 'S3Error';
  }
}

export function createS3Storage(config: S3Config): PhotoStorage {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: 's3',
    region: config.region,
    retries: 2,
  });
  const base = `${config.endpoint.replace(/\/$/, '')}/${encodeURIComponent(config.bucket)}`;
  const urlOf = (key: string) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;

  return {
    describe: `s3:${config.bucket}`,

    async put(key: string, data: Buffer, contentType: string): Promise<void> {
      const head = await client.fetch(urlOf(key), { method: 'HEAD', signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (head.ok) return;
      const res = await client.fetch(urlOf(key), {
        method: 'PUT',
        body: new Uint8Array(data),
        headers: { 'content-type': contentType, 'content-length': String(data.length) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (!res.ok) throw new S3Error('PUT', res.status);
    },

    async get(key: string): Promise<StoredObject | null> {
      const res = await client.fetch(urlOf(key), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new S3Error('GET', res.status);
      }
      return {
        data: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      };
    },
  };
}
