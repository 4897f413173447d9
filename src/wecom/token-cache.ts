import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Access tokens and JS-SDK tickets cached in Redis and shared by every process
 * (docs/wecom.md §4, §7 pitfall 6). One refresh at a time: the refresher
 * holds a Redis lock (SET NX PX); the others poll the cache until it is filled.
 * Values expire REFRESH_EARLY_MS before WeCom's expires_in so nobody uses a
 * token in its last minutes.
 */

export const REFRESH_EARLY_MS = 5 * 60_000;
export const LOCK_TTL_MS = 10_000;
const POLL_MS = 25;

export interface Fetched {
  value: string;
  /** Seconds, as WeCom's expires_in. */
  expiresIn: number;
}

// Deletes KEYS[1] only while it still holds ARGV[1]: never drops a value someone else just stored.
const DELETE_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface TokenCache {
  /** The cached value, or a fresh one from `fetcher` (one process fetches, the rest wait). */
  get(name: string, fetcher: () => Promise<Fetched>): Promise<string>;
  /** Forgets `value` (WeCom said 40014/42001) unless it was already replaced. */
  invalidate(name: string, value: string): Promise<void>;
}

export function createTokenCache(redis: Redis, prefix: string): TokenCache {
  const key = (name: string) => `${prefix}wecom:cache:${name}`;
  const lockKey = (name: string) => `${prefix}wecom:lock:${name}`;

  async function refresh(name: string, fetcher: () => Promise<Fetched>): Promise<string | null> {
    const owner = randomBytes(8).toString('hex');
    const locked = await redis.set(lockKey(name), owner, 'PX', LOCK_TTL_MS, 'NX');
    if (locked !== 'OK') return null;
    try {
      const again = await redis.get(key(name));
      if (again) return again;
      const fresh = await fetcher();
      const ttl = Math.max(1000, fresh.expiresIn * 1000 - Math.min(REFRESH_EARLY_MS, (fresh.expiresIn * 1000) / 2));
      await redis.set(key(name), fresh.value, 'PX', Math.floor(ttl));
      return fresh.value;
    } finally {
      await redis.eval(DELETE_IF_EQUAL, 1, lockKey(name), owner);
    }
  }

  return {
    async get(name, fetcher) {
      const deadline = Date.now() + LOCK_TTL_MS * 2;
      for (;;) {
        const cached = await redis.get(key(name));
        if (cached) return cached;
        const fresh = await refresh(name, fetcher);
        if (fresh) return fresh;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${name.split(':')[0]} refresh`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async invalidate(name, value) {
      await redis.eval(DELETE_IF_EQUAL, 1, key(name), value);
    },
  };
}
