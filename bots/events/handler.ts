import type { BotReply, IncomingMessage } from '../../src/services/inbound/bot-port';
import type { CommandEnv } from '../command';

/** What an event handler may ask of the chat: a command run exactly as if its text had been typed. */
export interface ChatPort {
  text(content: string): Promise<string>;
}

/** Handles one WeCom event (a menu tap, a card tap, opening the app); null answers nothing. */
export type EventHandler = (msg: IncomingMessage, env: CommandEnv, chat: ChatPort) => Promise<string | BotReply | null>;
