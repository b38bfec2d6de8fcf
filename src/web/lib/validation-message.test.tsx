import { describe, expect, it } from 'vitest';
import { toApiError } from './api-client.ts';
import { describeError } from './errors.ts';
import { type Translate, translate } from './i18n.ts';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
const en: Translate = (key, params) => translate('en', key, params);

function problem(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });
}

describe('validation problems in the UI language', () => {
  it('words a validation issue in the UI language: the field by name, the bound from the issue, never zod’s English', async () => {
    const error = await toApiError(
      problem(400, {
        code: 'validation',
        title: '提交的内容有误，请检查后重试。',
        detail: 'invalid body',
        errors: [
          { path: 'value', message: 'Too big: expected number to be <=1000000000000000', issue: 'too_big', limit: 1e15, origin: 'number' },
        ],
      }),
    );
    expect(describeError(error, zh)).toBe('提交的内容有误，请检查后重试。（完成值：数值过大，不能大于 1000000000000000）');
    expect(describeError(error, en)).toBe(
      'Some fields are invalid. Please check and try again.（Reported value: too large: at most 1000000000000000）',
    );
    expect(describeError(error, zh)).not.toMatch(/Too big|expected/);
    const date = await toApiError(
      problem(400, {
        code: 'validation',
        title: 'x',
        errors: [{ path: 'dueDate', message: '不是有效日期：2018-02-30', issue: 'invalid_format' }],
      }),
    );
    expect(describeError(date, zh)).toBe('提交的内容有误，请检查后重试。（办理时限：不是有效日期：2018-02-30）');
    expect(describeError(date, en)).toContain('Due date: wrong format');
    const unknown = await toApiError(
      problem(400, { code: 'validation', title: 'x', errors: [{ path: 'zzz.0', message: 'Invalid input' }] }),
    );
    expect(describeError(unknown, zh)).toBe('提交的内容有误，请检查后重试。（此项：内容无效）');
  });
});
