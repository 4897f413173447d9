import { AppError } from '../src/lib/errors';

/** Bad input or a refused action: the user reads `userMessage`; nothing of the command is kept. */
export class ChatError extends AppError {
  constructor(userMessage: string, code = 'chat_input') {
    super(code, `chat: ${code}`, userMessage, 400);
    this.name = 'ChatError';
  }
}

export type ChoiceKind = 'village' | 'household' | 'scope';

/**
 * A name matched several things: the dispatcher replies with the numbered
 * `options` and keeps `ids` so a next message "1"/"2" re-runs the command
 * with the pick.
 */
export class NeedChoice extends Error {
  constructor(
    readonly kind: ChoiceKind,
    readonly prompt: string,
    readonly options: { id: number; label: string }[],
  ) {
    super(`chat: ${kind} choice needed`);
    this.name = 'NeedChoice';
  }
}
