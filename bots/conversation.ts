import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { within } from '../src/lib/promise-timeout';
import type { ChoiceKind } from './errors';

/**
 * The one piece of conversation state: a numbered list waiting for the
 * sender's pick. Kept in Redis (any process may get the next message),
 * one key per WeCom userid, with a TTL. A Redis outage must not stop the
 * chat: failures are logged and the pick is simply not available.
 */

export const PICK_TTL_SECONDS = 600;
/** A Redis that does not answer by then counts as down: the reply must not miss WeCom's passive window. */
export const PICK_REDIS_TIMEOUT_MS = 300;

export interface PendingPick {
  command: string;
  args: string;
  kind: ChoiceKind;
  ids: number[];
}

export function createConversation(redis: Redis, keyPrefix: string, log: Logger) {
  const key = (userid: string) => `${keyPrefix}chat:pick:${userid.toLowerCase()}`;
  const tolerant = async <T>(what: string, userid: string, fallback: T, f: () => Promise<T>): Promise<T> => {
    try {
      return await within(f(), PICK_REDIS_TIMEOUT_MS, 'Redis');
    } catch (err) {
      log.warn({ userId: userid, err: (err as Error).message }, `conversation ${what} failed`);
      return fallback;
    }
  };
  return {
    save: (userid: string, pick: PendingPick) => tolerant('save', userid, undefined, async () => {
      await redis.set(key(userid), JSON.stringify(pick), 'EX', PICK_TTL_SECONDS);
    }),
    load: (userid: string) => tolerant('load', userid, null, async () => {
      const raw = await redis.get(key(userid));
      return raw ? (JSON.parse(raw) as PendingPick) : null;
    }),
    clear: (userid: string) => tolerant('clear', userid, undefined, async () => {
      await redis.del(key(userid));
    }),
  };
}

export type Conversation = ReturnType<typeof createConversation>;
