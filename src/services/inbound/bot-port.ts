import type { EntityManager } from 'typeorm';
import type { IncomingMessage } from '../../wecom/messages';

export type { IncomingMessage };

/**
 * The contract between the callback pipeline (src/routes/callback.ts,
 * src/services/inbound/messages.ts) and the chat (bots/). The pipeline stores the
 * decrypted message, then calls Bot.handle inside one transaction that also
 * marks the inbound row done and writes the reply to the outbox, so a message
 * is acted on exactly once even when WeCom retries or a process dies.
 */

export interface BotContext {
  /** The transaction every record of this message is written in. */
  manager: EntityManager;
  /** "Now" for everything this message does (tests fix it). */
  now: Date;
}

export interface BotReply {
  /** Chinese text for the sender, ≤ 2048 bytes UTF-8. */
  text: string;
  /** Pictures recorded by this message, to be fetched once its transaction has committed. */
  photoIds?: number[];
}

export interface Bot {
  /** Returns the reply for the sender, or null when there is nothing to say (e.g. most events). */
  handle(msg: IncomingMessage, ctx: BotContext): Promise<BotReply | null>;
}
