import { isErrorCode, isSpecificErrorCode } from '../../shared/error-codes.ts';
import { isApiError } from './api-client.ts';
import type { Translate } from './i18n.ts';

/**
 * A sentence for an error, in the UI language where we know the case; the server's detail otherwise.
 * A specific code (an upload's refusal) is the case: its message, with `{name}` values from the
 * problem. A generic code (not_found, conflict) leaves the case to the detail, its message is the fallback.
 */
export function describeError(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.code === 'network') return t('error.network');
    if (isSpecificErrorCode(error.code)) return t(`error.${error.code}`, error.params);
    if (error.code === 'csrf') return t('error.csrf');
    if (error.code === 'validation' || error.errors.length > 0) {
      const fields = error.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return fields ? `${t('error.validation')} (${fields})` : t('error.validation');
    }
    if (error.status >= 500) return t('error.generic');
    return error.detail || (isErrorCode(error.code) ? t(`error.${error.code}`) : error.title);
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
