import type { ErrorDetail } from './types';

/**
 * ApiError is every failure of a request to atende: an HTTP error with the
 * API's `{error: {code, message}}`, or a network failure (`status` 0, code
 * `network`). Screens show `message` as it came: the API's words.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly conversationId: string | undefined;

  constructor(status: number, detail: ErrorDetail) {
    super(detail.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = detail.code;
    this.field = detail.field;
    this.conversationId = detail.conversation_id;
  }

  /** No answer from the server: the outcome of a write is unknown. */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** The server decided and refused; repeating the same request is useless. */
  get isDefinite(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Any thrown value as an ApiError, so screens have one thing to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) {
    return e;
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ApiError(0, { code: 'network', message });
}
