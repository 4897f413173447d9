import type Redis from 'ioredis';
import type { ChoiceKind } from './errors';

/**
 * The one piece of conversation state: a numbered list waiting for the
 * sender's pick. Kept in Redis (any process may get the next message),
 * one key per WeCom userid, with a TTL.
 */

export const PICK_TTL_SECONDS = 600;

export interface PendingPick {
  command: string;
  args: string;
  kind: ChoiceKind;
  ids: number[];
}

export function createConversation(redis: Redis, keyPrefix: string) {
  const key = (userid: string) => `${keyPrefix}chat:pick:${userid.toLowerCase()}`;
  return {
    async save(userid: string, pick: PendingPick): Promise<void> {
      await redis.set(key(userid), JSON.stringify(pick), 'EX', PICK_TTL_SECONDS);
    },
    async load(userid: string): Promise<PendingPick | null> {
      const raw = await redis.get(key(userid));
      return raw ? (JSON.parse(raw) as PendingPick) : null;
    },
    async clear(userid: string): Promise<void> {
      await redis.del(key(userid));
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;
