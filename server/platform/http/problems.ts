import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type IssueLike, issuesToFieldErrors, type Locale, pickLocale, problemMessage } from '../../../common/i18n/problems.js';
import { AppError, type FieldError, RateLimited } from '../errors.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { field: string; code: string; message: string }[];
}

export function requestLocale(req: FastifyRequest): Locale {
  return pickLocale(req.headers['accept-language']);
}

export function problemBody(
  req: FastifyRequest,
  status: number,
  code: string,
  params: Record<string, unknown> = {},
  fieldErrors: FieldError[] = [],
): ProblemBody {
  const locale = requestLocale(req);
  const body: ProblemBody = {
    type: `https://balai.id/problems/${code.replace(/[._]/g, '-')}`,
    title: problemMessage(code, locale, params),
    status,
    code,
    instance: req.url,
  };
  if (fieldErrors.length) {
    body.errors = fieldErrors.map((f) => ({ field: f.field, code: f.code, message: problemMessage(f.code, locale, f.params ?? {}) }));
    body.detail = body.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join(' ');
  }
  return body;
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  params: Record<string, unknown> = {},
  fieldErrors: FieldError[] = [],
): FastifyReply {
  return reply.code(status).type('application/problem+json; charset=utf-8').send(problemBody(req, status, code, params, fieldErrors));
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

/** Maps every error to an RFC 9457 problem response; never sends a stack trace. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err instanceof RateLimited) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblem(req, reply, err.status, err.code, err.params, err.fieldErrors);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as any).validationContext as string | undefined;
      const issues: IssueLike[] = err.validation.map((v) => ({
        ...(v.params as object),
        code: v.keyword,
        message: v.message ?? '',
        path: v.instancePath.split('/').filter(Boolean),
      }));
      const fields = issuesToFieldErrors(issues).map((f) => ({
        ...f,
        field: where && where !== 'body' ? `${where}${f.field ? `.${f.field}` : ''}` : f.field,
      }));
      return sendProblem(req, reply, 400, 'validation', {}, fields);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(req, reply, 400, 'invalid_json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(req, reply, 400, 'empty_body');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(req, reply, 413, 'payload_too_large', { limit: formatBytes(req.routeOptions.bodyLimit ?? 0) });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(req, reply, 415, 'unsupported_media_type', { type: req.headers['content-type'] ?? '' });
      case 'FST_REQ_FILE_TOO_LARGE':
        return sendProblem(req, reply, 413, 'payload_too_large', { limit: formatBytes(Number((err as any).limit) || 0) });
    }
    if (err.statusCode === 429) return sendProblem(req, reply, 429, 'rate_limited', { seconds: 60 });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(req, reply, err.statusCode, 'invalid');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal');
  });
}
