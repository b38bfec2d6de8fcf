/** The one error type of the server. Services throw it; the error handler maps it to problem+json. */
import { ERROR_CODES, type ErrorCode } from '../../shared/error-codes.ts';

export type { ErrorCode };
/** The HTTP status of each code, from the one table of codes shared with the web. */
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status])) as {
  readonly [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'];
};

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra members of the problem document (field errors, the current row on a version conflict). */
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, extra?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.extra = extra;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
