import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Problem } from '../../shared/schemas/common.schema.ts';
import { codeForStatus, ERROR_CODES } from '../../shared/error-codes.ts';
import { isSchemeIssueCode, type SchemeIssueValues, schemeIssueMessage } from '../../shared/scheme-issues.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from '../core/app-error.ts';

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
    // The title names the code in Chinese (the table shared with the web); detail is the specific sentence.
    title: ERROR_CODES[code].zh,
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

/**
 * The zod issue's kind and bound (too_big, 1e15, number), so the web words the problem in the UI
 * language instead of showing zod's English message.
 */
function issueOf(keyword: string, params: Record<string, unknown> | undefined): { issue: string; limit?: number; origin?: string } {
  const bound = params?.maximum ?? params?.minimum;
  const limit = typeof bound === 'number' ? bound : typeof bound === 'bigint' ? Number(bound) : undefined;
  const origin = typeof params?.origin === 'string' ? params.origin : typeof params?.expected === 'string' ? params.expected : undefined;
  return { issue: keyword, ...(limit !== undefined && Number.isFinite(limit) ? { limit } : {}), ...(origin ? { origin } : {}) };
}

/**
 * A named rule of a custom issue (the shared scheme rules put `{ rule, values }` in its params):
 * its code and values, and its sentence in the caller's language (Accept-Language en, else zh).
 */
function ruleOf(
  params: Record<string, unknown> | undefined,
  lang: 'zh' | 'en',
): { rule: string; values: SchemeIssueValues; message: string } | null {
  const own = params?.params as { rule?: unknown; values?: SchemeIssueValues } | undefined;
  if (!isSchemeIssueCode(own?.rule)) return null;
  const values = own.values ?? {};
  return { rule: own.rule, values, message: schemeIssueMessage(own.rule, values, lang) };
}

/** The caller's language for worded rules: English when Accept-Language puts `en` first, Chinese otherwise. */
function languageOf(req: FastifyRequest): 'zh' | 'en' {
  const first =
    String(req.headers['accept-language'] ?? '')
      .split(',')[0]
      ?.trim()
      .toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
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
      const lang = languageOf(req);
      const errors = err.validation.map((v) => {
        const params = v.params as Record<string, unknown> | undefined;
        const named = ruleOf(params, lang);
        return {
          path: dottedPath(v.instancePath, context),
          message: named?.message ?? v.message ?? 'invalid',
          ...issueOf(v.keyword, params),
          ...(named ? { rule: named.rule, values: named.values } : {}),
        };
      });
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
      const code = codeForStatus(status) ?? 'bad_request';
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
