import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Problem } from '../../shared/schemas/common.schema.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from '../core/app-error.ts';

const TITLES: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation: 'Invalid request',
  unauthenticated: 'Sign-in required',
  forbidden: 'Forbidden',
  csrf: 'Missing or invalid CSRF token',
  not_found: 'Not found',
  conflict: 'Conflict',
  version_conflict: 'Changed by someone else',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Unprocessable request',
  locked: 'Account locked',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
  unavailable: 'Service unavailable',
};

// Framework and plugin errors carry a statusCode; map the ones clients can act on to our codes.
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  423: 'locked',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Builds an RFC 9457 problem document. `type` is a stable URN per code so clients can switch on it. */
export function buildProblem(
  code: ErrorCode,
  detail: string | undefined,
  instance: string | undefined,
  extra?: Record<string, unknown>,
  status: number = ERROR_STATUS[code],
): Problem {
  return {
    type: `urn:luoshi:problem:${code}`,
    title: TITLES[code],
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    code,
    ...extra,
  };
}

/** Sends a problem document; the body is pre-serialised so no route response schema can reshape it. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .serializer((p: unknown) => JSON.stringify(p))
    .send(problem);
}

function instanceOf(req: FastifyRequest): string {
  return req.url.split('?')[0];
}

/** Turns a zod issue path (`/aliases/0`) into the dotted path the web forms use (`aliases.0`). */
function dottedPath(instancePath: string, context: string | undefined): string {
  const p = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  return p || context || '';
}

/**
 * The one error handler: AppError, request validation, framework 4xx, everything else 500.
 * 5xx responses carry a generic detail only; the real error goes to the log with the request id.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    const instance = instanceOf(req);

    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, 'server error');
      return sendProblem(reply, buildProblem(err.code, err.message, instance, err.extra));
    }

    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = (err as FastifyError).validationContext;
      const errors = err.validation.map((v) => ({ path: dottedPath(v.instancePath, context), message: v.message ?? 'invalid' }));
      return sendProblem(reply, buildProblem('validation', `invalid ${context ?? 'request'}`, instance, { errors }));
    }

    const fe = err as FastifyError;
    if (Array.isArray(fe.validation)) {
      const errors = fe.validation.map((v) => ({
        path: dottedPath(v.instancePath ?? '', fe.validationContext),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, buildProblem('validation', 'invalid request', instance, { errors }));
    }

    if (isResponseSerializationErrorSafe(err)) {
      req.log.error({ err, issues: err.cause?.issues }, 'response does not match its schema');
      return sendProblem(reply, buildProblem('internal', 'An unexpected error occurred.', instance));
    }

    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's and the plugins' 4xx messages describe the request, not the server: safe to show.
      const code = CODE_BY_STATUS[status] ?? 'bad_request';
      return sendProblem(reply, buildProblem(code, fe.message, instance, undefined, status));
    }

    req.log.error({ err }, 'unhandled error');
    const code: ErrorCode = status === 503 ? 'unavailable' : 'internal';
    return sendProblem(reply, buildProblem(code, 'An unexpected error occurred.', instance));
  });
}

// The library's guard only checks for a `method` property; narrow on its error code as well.
function isResponseSerializationErrorSafe(err: unknown): err is { cause?: { issues?: unknown } } & Error {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as FastifyError).code === 'FST_ERR_RESPONSE_SERIALIZATION' &&
    isResponseSerializationError(err)
  );
}
