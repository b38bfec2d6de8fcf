import { isErrorCode, isSpecificErrorCode } from '../../shared/error-codes.ts';
import { isApiError } from './api-client.ts';
import type { Problem } from '../../shared/schemas/common.schema.ts';
import type { MessageKey, Translate } from './i18n.ts';

type FieldIssue = NonNullable<Problem['errors']>[number];

const HAN = /[\u4e00-\u9fff]/;

/**
 * One field's problem in the UI language: the field by its name (完成值, not `value`), the issue
 * from its zod code and bound ("不能大于 100"). A message the server already wrote in Chinese (a
 * date rule) is kept in the Chinese UI; zod's English is never shown.
 */
export function describeFieldIssue(issue: FieldIssue, t: Translate): string {
  const lookup = (key: string, params?: Record<string, string | number>) => {
    const text = t(key as MessageKey, params);
    return text === key ? null : text;
  };
  // A named rule (a scheme rule) is a whole sentence of its own, from the table shared with the server.
  const ruled = issue.rule ? lookup(`schemeRule.${issue.rule}`, issue.values) : null;
  if (ruled) return ruled;
  const leaf =
    issue.path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? '';
  const field =
    lookup(`validationField.${leaf}`) ?? lookup(`field.${leaf}`) ?? lookup(`history.field.${leaf}`) ?? t('validation.thisField');
  // The Chinese UI may keep a sentence the server wrote in Chinese; the English UI words it itself.
  const ownChinese = HAN.test(issue.message) && HAN.test(t('validation.thisField')) ? issue.message : null;
  const origin = issue.origin ?? '';
  const limit = issue.limit !== undefined ? String(issue.limit) : '';
  const problem =
    ownChinese ??
    (issue.issue && limit && (issue.issue === 'too_big' || issue.issue === 'too_small')
      ? (lookup(`validation.${issue.issue}.${origin}`) ?? lookup(`validation.${issue.issue}`))
      : issue.issue === 'invalid_type' && origin
        ? (lookup(`validation.invalid_type.${origin}`) ?? lookup('validation.invalid_type'))
        : issue.issue
          ? lookup(`validation.${issue.issue}`)
          : null) ??
    t('validation.invalid');
  return t('validation.line', { field, problem: problem.replace('{limit}', limit) });
}

/**
 * A sentence for an error, in the UI language where we know the case; the server's detail otherwise.
 * A specific code (an upload's refusal) is the case: its message, with `{name}` values from the
 * problem. A generic code (not_found, conflict) leaves the case to the detail, its message is the fallback.
 */
const CJK = /[\u3400-\u9fff]/;

/** True when `text` is in the language `t` speaks (Chinese or not, judged by the generic message). */
function inUiLanguage(text: string, t: Translate): boolean {
  return CJK.test(text) === CJK.test(t('error.generic'));
}

export function describeError(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.code === 'network') return t('error.network');
    if (isSpecificErrorCode(error.code)) return t(`error.${error.code}`, error.params);
    if (error.code === 'csrf') return t('error.csrf');
    if (error.code === 'validation' || error.errors.length > 0) {
      const fields = error.errors.map((e) => describeFieldIssue(e, t)).join('；');
      return fields ? `${t('error.validation')}（${fields}）` : t('error.validation');
    }
    if (error.status >= 500) return t('error.generic');
    // A generic code's detail names the case exactly, but only a detail in the UI's own language is
    // shown (services word many details in Chinese; an English one under a Chinese UI gives way to
    // the code's message, so no raw English reaches a Chinese screen).
    if (error.detail && inUiLanguage(error.detail, t)) return error.detail;
    if (isErrorCode(error.code)) return t(`error.${error.code}`);
    return inUiLanguage(error.title, t) ? error.title : t('error.generic');
  }
  if (isChunkLoadError(error)) return t('error.chunk');
  return t('error.generic');
}

/** A lazy route's chunk went missing: typically a deploy replaced the hashed files under an open tab. */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error ?? '');
  return /dynamically imported module|Importing a module script failed|Failed to fetch dynamically|error loading dynamically/i.test(
    message,
  );
}
