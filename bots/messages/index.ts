import type { MessageHandler } from './handler';
import { handleImage } from './image';
import { handleLocation } from './location';

export type { MessageHandler };

/**
 * Every non-text message the chat understands, keyed by WeCom MsgType, written
 * out like the command list. Text goes to the command parser; events and
 * anything not listed get no command.
 */
export const MESSAGE_HANDLERS: ReadonlyMap<string, MessageHandler> = new Map([
  ['location', handleLocation],
  ['image', handleImage],
]);
