import type { BotReply, IncomingMessage } from '../../src/services/inbound/bot-port';
import type { CommandEnv } from '../command';

/** Handles one kind of non-text message (a shared location, a picture); the reply text, or a reply with pictures to fetch. */
export type MessageHandler = (msg: IncomingMessage, env: CommandEnv) => Promise<string | BotReply>;
