import type { Redis } from 'ioredis';

/**
 * Fixed-window counters in Redis, shared by every process (docs/wecom.md §4:
 * per member 30/min and 1,000/h, 20/min per group robot, 10,000/min per corp
 * per API). All buckets of one take() are checked and counted atomically in
 * one Lua script: either every bucket has room and all are counted, or none is.
 */

export interface Bucket {
  /** Stable name without the window, e.g. `member:zhangsan:m`. */
  name: string;
  limit: number;
  windowMs: number;
}

export type TakeResult = { ok: true } | { ok: false; bucket: string; retryAfterMs: number };

export const MEMBER_PER_MINUTE = 30;
export const MEMBER_PER_HOUR = 1000;
export const ROBOT_PER_MINUTE = 20;
export const API_PER_MINUTE = 10_000;

// KEYS: window keys; ARGV: limit_1..limit_n, ttl_ms_1..ttl_ms_n. Returns 0 or the 1-based index of the full bucket.
const TAKE_SCRIPT = `
local n = #KEYS
for i = 1, n do
  local c = tonumber(redis.call('GET', KEYS[i]) or '0')
  if c >= tonumber(ARGV[i]) then return i end
end
for i = 1, n do
  local c = redis.call('INCR', KEYS[i])
  if c == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
end
return 0
`;

export interface RateLimiter {
  take(buckets: Bucket[], now: Date): Promise<TakeResult>;
}

export function createRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async take(buckets, now) {
      if (buckets.length === 0) return { ok: true };
      const t = now.getTime();
      const keys = buckets.map((b) => `${prefix}rl:${b.name}:${Math.floor(t / b.windowMs)}`);
      const ttls = buckets.map((b) => String(b.windowMs - (t % b.windowMs) + 1000));
      const full = Number(await redis.eval(TAKE_SCRIPT, keys.length, ...keys, ...buckets.map((b) => String(b.limit)), ...ttls));
      if (full === 0) return { ok: true };
      const b = buckets[full - 1];
      return { ok: false, bucket: b.name, retryAfterMs: b.windowMs - (t % b.windowMs) };
    },
  };
}

/** Per-member buckets for one app message to these userids. */
export function memberBuckets(userids: string[]): Bucket[] {
  return userids.flatMap((u) => [
    { name: `member:${u.toLowerCase()}:m`, limit: MEMBER_PER_MINUTE, windowMs: 60_000 },
    { name: `member:${u.toLowerCase()}:h`, limit: MEMBER_PER_HOUR, windowMs: 3_600_000 },
  ]);
}

export function robotBucket(groupId: string): Bucket {
  return { name: `robot:${groupId}:m`, limit: ROBOT_PER_MINUTE, windowMs: 60_000 };
}

export function apiBucket(api: string, limit = API_PER_MINUTE): Bucket {
  return { name: `api:${api}:m`, limit, windowMs: 60_000 };
}
