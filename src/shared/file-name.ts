/**
 * File names as we store, list and send them (evidence, 督办 evidence, plan imports,
 * Content-Disposition). A name is the client's claim and is shown to other officials, so it must
 * not be able to disguise itself: bidirectional-text controls are removed (a right-to-left
 * override turns "照片\u202Egnp.exe" into what reads as "照片exe.png"), as are other control
 * characters and any path. Pure; shared by server and web.
 */

/** Bidi embeddings/overrides/isolates, LRM/RLM and the Arabic letter mark. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// C0/C1 controls and DEL; also the zero-width no-break and line/paragraph separators.
const OTHER_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g;

/** Removes bidi controls from any text that names a file (also for names stored before this rule). */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** A filename safe to store and send back: no path, no control or bidi characters, at most 200 characters. */
export function cleanFilename(filename: string, fallback = 'file'): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const cleaned = stripBidiControls(base).replace(OTHER_CONTROLS, '').trim();
  return (cleaned || fallback).slice(0, 200);
}

/**
 * `filename` with an extension that agrees with its detected type: kept when it already is one of
 * `extensions` (any case), otherwise replaced (x.html holding a PDF becomes x.pdf) or added.
 * The detected type wins because it is what the bytes are and what the download will be served as.
 */
export function withExtension(filename: string, extensions: readonly string[]): string {
  const dot = filename.lastIndexOf('.');
  const ext = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(ext)) return filename;
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  const suffix = `.${extensions[0]}`;
  return `${stem.slice(0, 200 - suffix.length)}${suffix}`;
}
