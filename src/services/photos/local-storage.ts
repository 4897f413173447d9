import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { PhotoStorage, StoredObject } from './storage';

/**
 * Photos as files under <dataDir>/: written to a temporary name and renamed,
 * so a reader never sees half a file and concurrent writers of the same
 * content both succeed. The content type comes from the key's extension.
 */

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png' };

export function createLocalStorage(dataDir: string): PhotoStorage {
  const root = resolve(dataDir);

  function pathOf(key: string): string {
    const p = resolve(join(root, key));
    if (!p.startsWith(root + sep)) throw new RangeError('storage key escapes the data folder');
    return p;
  }

  return {
    describe: `local:${root}`,

    async put(key: string, data: Buffer): Promise<void> {
      const path = pathOf(key);
      if (await exists(path)) return;
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, path);
    },

    async get(key: string): Promise<StoredObject | null> {
      try {
        const data = await readFile(pathOf(key));
        return { data, contentType: TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream' };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
