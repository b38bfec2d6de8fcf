import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './api-client.ts';
import { describeError } from './errors.ts';
import { type Translate, translate } from './i18n.ts';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
const en: Translate = (key, params) => translate('en', key, params);

function problem(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });
}

describe('describeError', () => {
  it('says a specific code’s case in the UI language, its {name} values from the problem', async () => {
    const error = await toApiError(
      problem(409, {
        code: 'evidence_limit_reached',
        title: '每份报告最多 {max} 个证明材料。',
        detail: 'a report has at most 50 evidence files',
        max: 50,
      }),
    );
    expect(describeError(error, zh)).toBe('每份报告最多 50 个证明材料。');
    expect(describeError(error, en)).toBe('A report has at most 50 evidence files.');
  });

  it('words a scheme rule of a validation problem by its code and values, whatever language the message came in', async () => {
    const error = await toApiError(
      problem(400, {
        code: 'validation',
        title: '提交的内容有误，请检查后重试。',
        errors: [
          {
            path: 'scheme.yearEnd',
            message: '年终权重合计须为 100%，现为 90%',
            issue: 'custom',
            rule: 'year_end_sum',
            values: { sum: 90 },
          },
        ],
      }),
    );
    expect(describeError(error, zh)).toBe('提交的内容有误，请检查后重试。（年终权重合计须为 100%，现为 90%）');
    expect(describeError(error, en)).toBe(
      'Some fields are invalid. Please check and try again.（The year-end weights must add up to 100% (now 90%)）',
    );
  });

  it('decides by code, not by the wording of the detail', async () => {
    const error = await toApiError(
      problem(400, { code: 'file_empty', title: 'x', detail: 'anything at all', errors: [{ path: 'file', message: 'empty' }] }),
    );
    expect(describeError(error, zh)).toBe('文件是空的。');
  });

  it('keeps the server’s detail for a generic code only in the UI language, else the code’s message', () => {
    const english = new ApiError({ status: 404, code: 'not_found', title: 'Not found', detail: 'plan not found' });
    expect(describeError(english, en)).toBe('plan not found');
    // No raw English on a Chinese screen (issue 11 item 10): the code's message instead.
    expect(describeError(english, zh)).toBe('未找到。');
    const chinese = new ApiError({ status: 422, code: 'unprocessable', title: 'Unprocessable', detail: '不能与自身合并' });
    expect(describeError(chinese, zh)).toBe('不能与自身合并');
    expect(describeError(new ApiError({ status: 404, code: 'not_found', title: 'Not found' }), zh)).toBe('未找到。');
    expect(describeError(new ApiError({ status: 418, code: 'http_error', title: 'Teapot' }), en)).toBe('Teapot');
    expect(describeError(new ApiError({ status: 418, code: 'http_error', title: 'Teapot' }), zh)).toBe(zh('error.generic'));
  });
});
