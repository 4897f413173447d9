import { createHash } from 'node:crypto';
import * as jpeg from 'jpeg-js';
import { createLocalStorage } from '../../src/services/photos/local-storage';
import { photoKey } from '../../src/services/photos/storage';
import { makeThumbnail, thumbKey } from '../../src/services/photos/thumbnail';

/**
 * A 640×480 JPEG of one grey `shade`, stored with its thumbnail in local
 * storage under `dir` (the app's DATA_DIR) as the photo job stores them; its
 * bytes and sha256 for the photos row.
 */
export async function storeTestPhoto(dir: string, shade: number): Promise<{ photo: Buffer; sha: string }> {
  const photo = jpeg.encode({ width: 640, height: 480, data: Buffer.alloc(640 * 480 * 4, shade) }, 80).data;
  const sha = createHash('sha256').update(photo).digest('hex');
  const storage = createLocalStorage(dir);
  await storage.put(photoKey(sha, 'image/jpeg'), photo, 'image/jpeg');
  await storage.put(thumbKey(sha), makeThumbnail(photo, 'image/jpeg')!, 'image/jpeg');
  return { photo, sha };
}
