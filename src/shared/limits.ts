/** Size limits enforced by the server and shown by the web app. */
export const LIMITS = {
  /** JSON request bodies. */
  bodyBytes: 1 * 1024 * 1024,
  /** One evidence file on a report or a 督办 answer (photo, PDF, office file). */
  evidenceBytes: 20 * 1024 * 1024,
  /** Uploaded plan documents (.txt/.docx). */
  uploadBytes: 10 * 1024 * 1024,
  /** Pasted plan text, in characters. */
  planTextChars: 2_000_000,
  pageSizeMax: 500,
  nameChars: 200,
  textChars: 20_000,
} as const;
