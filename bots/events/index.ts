import type { EventHandler } from './handler';
import { handleCardTap } from './card-tap';
import { handleEnterAgent } from './enter-agent';
import { handleLocationSelect, handleMenuClick, handlePhotoPicker } from './menu';

export type { EventHandler };

/** Every WeCom event the chat acts on, keyed by Event; any other event is stored and answers nothing. */
export const EVENT_HANDLERS: ReadonlyMap<string, EventHandler> = new Map([
  ['click', handleMenuClick],
  ['location_select', handleLocationSelect],
  ['pic_photo_or_album', handlePhotoPicker],
  ['enter_agent', handleEnterAgent],
  ['template_card_event', handleCardTap],
]);
