import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// s3rver ships no types; a fake S3 on loopback.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');
import { createLocalStorage } from '../../../../src/services/photos/local-storage';
import { createS3Storage, S3Error } from '../../../../src/services/photos/s3-storage';
import { createPhotoStorage, photoKey, type PhotoStorage } from '../../../../src/services/photos/storage';

/** Both photo storages behave alike: put once by key, get back bytes and type, null when absent. */

const SHA = 'ab'.repeat(32);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a picture')]);

let dir: string;
let s3: { close(): Promise<void> };
let endpoint: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sl-photos-'));
  const server = new S3rver({
    address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'photos' }],
  });
  const addr = (await server.run()) as AddressInfo;
  endpoint = `http://127.0.0.1:${addr.port}`;
  s3 = server;
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

function contract(name: string, make: () => PhotoStorage) {
  describe(name, () => {
    test('stores and reads back a picture by its content key; absent keys are null', async () => {
      const storage = make();
      const key = photoKey(SHA, 'image/jpeg');
      expect(key).toBe(`photos/ab/${SHA}.jpg`);
      expect(await storage.get(key)).toBeNull();
      await storage.put(key, JPEG, 'image/jpeg');
      const got = await storage.get(key);
      expect(got?.data.equals(JPEG)).toBe(true);
      expect(got?.contentType).toBe('image/jpeg');
    });

    test('a second put of the same key keeps the first object (content-addressed)', async () => {
      const storage = make();
      const key = photoKey('cd'.repeat(32), 'image/png');
      await storage.put(key, Buffer.from('first'), 'image/png');
      await storage.put(key, Buffer.from('second'), 'image/png');
      expect((await storage.get(key))?.data.toString()).toBe('first');
    });
  });
}

contract('local disk', () => createLocalStorage(join(dir, 'local')));
contract('S3-compatible', () =>
  createS3Storage({ endpoint, bucket: 'photos', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' }));

// s3rver checks the access key of a SigV4 request but not the signature itself.
test('S3 requests are signed with the configured key: an unknown key is refused', async () => {
  const storage = createS3Storage({ endpoint, bucket: 'photos', accessKeyId: 'NOSUCHKEY', secretAccessKey: 'S3RVER', region: 'us-east-1' });
  await expect(storage.put(photoKey('ef'.repeat(32), 'image/jpeg'), JPEG, 'image/jpeg')).rejects.toBeInstanceOf(S3Error);
});

test('local keys cannot escape the data folder', async () => {
  await expect(createLocalStorage(join(dir, 'local')).get('../../etc/passwd')).rejects.toThrow(RangeError);
});

test('config picks S3 when S3_* are set, else the data folder', () => {
  expect(createPhotoStorage({ dataDir: join(dir, 'x') }).describe).toBe(`local:${join(dir, 'x')}`);
  const s3cfg = { endpoint, bucket: 'photos', accessKeyId: 'a', secretAccessKey: 'b', region: 'us-east-1' };
  expect(createPhotoStorage({ dataDir: 'data', s3: s3cfg }).describe).toBe('s3:photos');
});
