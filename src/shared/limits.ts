/** Size limits enforced by the server and shown by the web app. */
export const LIMITS = {
  /** JSON request bodies. */
  bodyBytes: 1 * 1024 * 1024,
  /** One evidence file on a report or a 督办 answer (photo, PDF, office file). */
  evidenceBytes: 20 * 1024 * 1024,
  /** Uploaded plan documents (.txt/.docx). */
  uploadBytes: 10 * 1024 * 1024,
  /**
   * Zip-based uploads (.xlsx report templates, .docx plans), counted on the bytes actually
   * inflated, not on the sizes the zip declares: the most a library will then inflate into memory.
   */
  zipInflatedBytes: 50 * 1024 * 1024,
  /** One entry of such a zip (a sheet's XML, a document's XML, an embedded image). */
  zipEntryBytes: 25 * 1024 * 1024,
  /** Entries of such a zip: an office file has a few dozen. */
  zipEntries: 1_000,
  /** Uploads processed at once per server, and waiting for a turn; beyond, 503 with Retry-After. */
  uploadsAtOnce: 2,
  uploadsQueued: 6,
  /** Pasted plan text, in characters. */
  planTextChars: 2_000_000,
  pageSizeMax: 500,
  nameChars: 200,
  textChars: 20_000,
} as const;
