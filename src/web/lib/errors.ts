import { isApiError } from './api-client.ts';
import type { Translate } from './i18n.ts';

/** A sentence for an error, in the UI language where we know the case; the server's detail otherwise. */
export function describeError(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.code === 'network') return t('error.network');
    if (error.code === 'csrf') return t('error.csrf');
    if (error.code === 'validation' || error.errors.length > 0) {
      const fields = error.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return fields ? `${t('error.validation')} (${fields})` : t('error.validation');
    }
    if (error.status >= 500) return t('error.generic');
    return error.detail || error.title;
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
