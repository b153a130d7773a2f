/**
 * Typed errors thrown by commands and routes. The HTTP layer maps each to an RFC 9457 problem
 * response with a message in the request's language (common/i18n/problems.ts), in one place.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `address.regionCode`. */
  field: string;
  /** Message code in the problems catalogue, or a ready message. */
  code: string;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Message code in the problems catalogue (common/i18n/problems.ts). */
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(code);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(code = 'invalid', params: Record<string, unknown> = {}, fieldErrors: FieldError[] = []) {
    super(400, code, params, fieldErrors);
  }
  /** A single field is wrong. */
  static field(field: string, code: string, params: Record<string, unknown> = {}): Invalid {
    return new Invalid('validation', {}, [{ field, code, params }]);
  }
}
export class Unauthenticated extends AppError {
  constructor(code = 'unauthenticated') {
    super(401, code);
  }
}
export class Forbidden extends AppError {
  constructor(code = 'forbidden', params: Record<string, unknown> = {}) {
    super(403, code, params);
  }
}
export class NotFound extends AppError {
  constructor(code = 'not_found', params: Record<string, unknown> = {}) {
    super(404, code, params);
  }
}
export class Conflict extends AppError {
  constructor(code = 'conflict', params: Record<string, unknown> = {}, fieldErrors: FieldError[] = []) {
    super(409, code, params, fieldErrors);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(code = 'payload_too_large', params: Record<string, unknown> = {}) {
    super(413, code, params);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor(code = 'unsupported_media_type', params: Record<string, unknown> = {}) {
    super(415, code, params);
  }
}
export class RateLimited extends AppError {
  constructor(
    code = 'rate_limited',
    params: Record<string, unknown> = {},
    readonly retryAfterSeconds = 60,
  ) {
    super(429, code, params);
  }
}

/** PostgreSQL unique violation, for turning races into Conflict. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string; cause?: unknown };
  if (err?.code === '23505') return !constraint || err.constraint === constraint || String((err as any).message).includes(constraint);
  return err?.cause ? isUniqueViolation(err.cause, constraint) : false;
}
