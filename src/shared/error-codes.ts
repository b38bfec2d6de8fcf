/**
 * The error codes of the API, one table for server and web: the HTTP status of each code and its
 * sentence in both UI languages. The server takes a problem's `status` and `title` from here; the
 * web's catalogues take their `error.<code>` messages from here, so every code has a message in
 * both languages by construction. `{name}` placeholders are filled from the problem's extra
 * members (the server sends them, e.g. `{ max: 10 }`).
 */
import { LIMITS } from './limits.ts';

interface ErrorCodeEntry {
  status: number;
  zh: string;
  en: string;
}

/**
 * The codes that name a kind of failure (usually one per status): the problem's `detail` says
 * which row or rule, so the web shows the detail and falls back to the message here.
 */
export const GENERIC_ERROR_CODES = {
  bad_request: { status: 400, zh: '请求有误。', en: 'Bad request.' },
  validation: { status: 400, zh: '提交的内容有误，请检查后重试。', en: 'Some fields are invalid. Please check and try again.' },
  unauthenticated: { status: 401, zh: '请先登录。', en: 'Please sign in.' },
  forbidden: { status: 403, zh: '没有权限', en: 'Not allowed' },
  csrf: { status: 403, zh: '安全校验失败，请刷新页面后重试。', en: 'Security check failed. Reload the page and try again.' },
  not_found: { status: 404, zh: '未找到。', en: 'Not found.' },
  conflict: { status: 409, zh: '与当前数据冲突。', en: 'Conflicts with the current data.' },
  version_conflict: { status: 409, zh: '已被他人修改，请刷新后重试。', en: 'Changed by someone else; reload and try again.' },
  payload_too_large: { status: 413, zh: '提交的内容过大。', en: 'The upload is too large.' },
  unsupported_media_type: { status: 415, zh: '不支持的文件类型。', en: 'Unsupported file type.' },
  unprocessable: { status: 422, zh: '无法处理该请求。', en: 'The request cannot be processed.' },
  locked: { status: 423, zh: '账号已锁定。', en: 'Account locked.' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try again later.' },
  internal: { status: 500, zh: '服务器内部错误。', en: 'Internal server error.' },
  unavailable: { status: 503, zh: '服务暂时不可用，请稍后再试。', en: 'Service unavailable; try again later.' },
} as const satisfies Record<string, ErrorCodeEntry>;

const EVIDENCE_MB = LIMITS.evidenceBytes / 1024 / 1024;

/**
 * The codes that name one case exactly (the uploads' refusals): the web shows the message here in
 * the UI language; `detail` stays the server's sentence for API callers.
 */
export const SPECIFIC_ERROR_CODES = {
  file_empty: { status: 400, zh: '文件是空的。', en: 'The file is empty.' },
  evidence_type_not_allowed: {
    status: 415,
    zh: '文件类型不支持：请上传照片（jpg、png、webp）、PDF 或 Office 文件（docx、xlsx、doc、xls）。',
    en: 'Unsupported file: attach a photo (jpg, png, webp), a PDF or an office file (docx, xlsx, doc, xls).',
  },
  not_xlsx: {
    status: 415,
    zh: '上传的文件不是 Excel .xlsx 工作簿：请上传下载的填报模板。',
    en: 'The file is not an Excel .xlsx workbook: upload the template you downloaded.',
  },
  evidence_too_large: {
    status: 413,
    zh: `文件过大：每个证明材料不超过 ${EVIDENCE_MB} MB。`,
    en: `The file is too large: evidence files are at most ${EVIDENCE_MB} MB.`,
  },
  too_many_rows: {
    status: 413,
    zh: '表中行数过多：请上传本期下载的填报模板。',
    en: 'The sheet has too many rows: upload this period’s template.',
  },
  file_too_large: { status: 413, zh: '文件过大。', en: 'The file is too large.' },
  ledger_export_too_large: {
    status: 422,
    zh: '筛选出的台账超过 {max} 行，无法导出：请按方案、章节、单位或状态缩小范围后再导出。',
    en: 'The filtered ledger has more than {max} rows to export: narrow it by plan, section, unit or status first.',
  },
  evidence_limit_reached: { status: 409, zh: '每份报告最多 {max} 个证明材料。', en: 'A report has at most {max} evidence files.' },
  notice_evidence_limit_reached: {
    status: 409,
    zh: '每个单位对一份督办通知最多上传 {max} 个文件。',
    en: 'An organisation adds at most {max} files to one notice.',
  },
  evidence_locked: {
    status: 409,
    zh: '报告已提交或已审核，证明材料不能再修改。',
    en: 'The report has been submitted or reviewed; its evidence can no longer change.',
  },
  period_not_open: { status: 409, zh: '本期未在填报中，不能上传。', en: 'The period is not open for reporting.' },
  not_a_report_template: {
    status: 422,
    zh: '该工作簿不是落实系统的进展填报表：请下载本期模板后填写。',
    en: 'This workbook is not a Luoshi progress template: download this period’s template and fill it in.',
  },
  template_outdated: { status: 422, zh: '该模板不是当前版本：请重新下载模板。', en: 'This template is out of date: download it again.' },
  template_other_period: {
    status: 422,
    zh: '该模板属于其他填报周期：请下载本期模板。',
    en: 'This template belongs to another reporting period: download this period’s template.',
  },
  template_other_org: {
    status: 422,
    zh: '该模板属于其他单位：请下载本单位的模板。',
    en: 'This template belongs to another organisation: download your own.',
  },
  template_has_formulas: {
    status: 422,
    zh: '不接受公式：请在以下单元格直接填写数值：{cells}',
    en: 'Formulas are not accepted: type the values into {cells}',
  },
  template_row_count: {
    status: 422,
    zh: '表中的行数与本单位本期的填报事项不一致：请重新下载模板。',
    en: 'The sheet’s rows do not match what your organisation reports this period: download the template again.',
  },
  section_not_empty: {
    status: 409,
    zh: '该章节下还有任务或子章节，不能删除：请先把它们移到其他章节。',
    en: 'The section still holds tasks or subsections: move them elsewhere before deleting it.',
  },
  task_has_progress: {
    status: 409,
    zh: '该任务已有进展报告或督办，不能并入其他任务（会丢失已报进度）：请把它作为保留的任务。',
    en: 'The task has progress reports or supervision notices and cannot be merged away (reported progress would be lost): keep it as the surviving task.',
  },
  target_has_reports: {
    status: 409,
    zh: '已有进展报告的指标不能移到拆分出的新任务：请把它留在原任务上。',
    en: 'A target with progress reports cannot move to the new task: keep it on the original task.',
  },
  layer_rows_invalid: {
    status: 422,
    zh: '图层文件有问题的行，未保存：请按问题清单（行、列）改正后重新导入。',
    en: 'The layer file has rows with problems; nothing was saved. Fix the listed rows and columns and import again.',
  },
  publication_withdrawn: {
    status: 410,
    zh: '该公开内容已撤回。',
    en: 'This publication has been withdrawn.',
  },
  report_value_missing: { status: 422, zh: '提交前须填写完成值', en: 'Report the value reached before submitting.' },
  // A plan document that cannot be read (plan-document.decoder.ts kinds), and a text that is no plan.
  plan_document_empty: { status: 422, zh: '文件是空的。', en: 'The file is empty.' },
  plan_document_legacy_word: {
    status: 415,
    zh: '这是旧版 Word（.doc/.wps）文件，不支持：请另存为 .docx 或 .txt 后再上传。',
    en: 'This is a legacy Word (.doc/.wps) file, which is not supported: save it as .docx or .txt and upload again.',
  },
  plan_document_pdf: {
    status: 415,
    zh: '这是 PDF 文件，不支持：请上传 .docx 或 .txt。',
    en: 'This is a PDF, which is not supported: upload the .docx or .txt.',
  },
  plan_document_not_docx: {
    status: 422,
    zh: '文件名是 .docx，但内容不是 Word 文档（可能是改了扩展名的图片或其他文件）：请上传真正的 .docx 或 .txt。',
    en: 'The file is named .docx but is not a Word document (perhaps a renamed picture): upload a real .docx or .txt.',
  },
  plan_document_utf16: {
    status: 422,
    zh: '这是 UTF-16 编码的文本，不支持：请另存为 UTF-8。',
    en: 'This is UTF-16 text, which is not supported: save it as UTF-8.',
  },
  plan_document_binary: {
    status: 422,
    zh: '这不是文本文件（含二进制数据）：请上传 .docx 或 .txt。',
    en: 'This is not a text file (it contains binary data): upload a .docx or .txt.',
  },
  plan_document_encoding: {
    status: 422,
    zh: '无法识别文件的文字编码（既不是 UTF-8 也不是 GB18030/GBK）：请另存为 UTF-8 文本。',
    en: 'The text encoding is not recognised (neither UTF-8 nor GB18030/GBK): save it as UTF-8 text.',
  },
  plan_document_no_text: { status: 422, zh: '文件中没有文字。', en: 'The file contains no text.' },
  plan_document_corrupt_docx: {
    status: 422,
    zh: '无法读取这个 .docx 文件（已损坏或不是 Word 文档）：请用 Word 重新保存后上传。',
    en: 'This .docx cannot be read (corrupt or not a Word document): save it again in Word and upload.',
  },
  plan_no_tasks: {
    status: 422,
    zh: '没有识别出任务条款：实施方案应在括号中写明每项任务的责任单位，例如（牵头单位：…，责任单位：…）。',
    en: 'No task clauses found: an implementation plan names the units of each task in brackets, e.g. (牵头单位:…, 责任单位:…).',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

/** Every code the API sends, with its status and both languages' sentence. */
export const ERROR_CODES = { ...GENERIC_ERROR_CODES, ...SPECIFIC_ERROR_CODES } as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type SpecificErrorCode = keyof typeof SPECIFIC_ERROR_CODES;

/** The HTTP status a code is sent with. */
export const errorStatus = (code: ErrorCode): number => ERROR_CODES[code].status;

/** Whether a string (a problem's `code`, as the web receives it) is one of ours. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** Whether a code names one case exactly, so its message says more than the server's detail. */
export function isSpecificErrorCode(code: string): code is SpecificErrorCode {
  return Object.hasOwn(SPECIFIC_ERROR_CODES, code);
}

/**
 * The code for a bare HTTP status (framework errors, responses without problem+json): the generic
 * code of that status, or undefined when we have none.
 */
export function codeForStatus(status: number): ErrorCode | undefined {
  for (const [code, entry] of Object.entries(GENERIC_ERROR_CODES)) {
    if (entry.status === status && code !== 'validation' && code !== 'csrf' && code !== 'version_conflict') return code as ErrorCode;
  }
  return undefined;
}

/** The `error.<code>` messages of one UI language, for the web's catalogues. */
export function errorMessages(lang: 'zh' | 'en'): Record<`error.${ErrorCode}`, string> {
  return Object.fromEntries(Object.entries(ERROR_CODES).map(([code, entry]) => [`error.${code}`, entry[lang]])) as Record<
    `error.${ErrorCode}`,
    string
  >;
}
