/**
 * Errors with a stable code. `userMessage` is the short Chinese sentence a chat
 * user or console user sees; `message` is the English detail for the logs.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly userMessage = '操作失败，请稍后再试。',
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, userMessage: string) {
    super('not_found', `${what} not found`, userMessage, 404);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string, userMessage = '您没有权限进行此操作。') {
    super('forbidden', detail, userMessage, 403);
  }
}

/** A bad value in a request: 400, and the answer names the field (`{ error, message, field }`) for API clients. */
export class BadInputError extends AppError {
  constructor(readonly field: string, detail: string, userMessage: string, code = 'bad_query') {
    super(code, detail, userMessage, 400);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
