import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../lib/api-client.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, PERIOD_ID, row, TARGET_ID, TASK_ID } from '../../../testing/reporting.fixtures.ts';
import { ReportUploadDialog } from './report-upload-dialog.tsx';

const T = { timeout: 10_000 };
const KEY = `${TASK_ID}/${TARGET_ID}`;
const xlsx = (name = '进展填报表.xlsx') =>
  new File([new Uint8Array([0x50, 0x4b, 3, 4])], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });

function pick(file: File) {
  const input = document.querySelector('.ant-modal input[type="file"]') as HTMLInputElement;
  expect(input).toBeTruthy();
  fireEvent.change(input, { target: { files: [file] } });
}

const saveButton = () => screen.getByRole('button', { name: /保存为草稿/ }) as HTMLButtonElement;

describe('ReportUploadDialog', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('dry run with errors: counts, a table of 行/列/问题, save disabled; a clean file saves drafts', async () => {
    setCsrfToken('csrf-token');
    let clean = false;
    const { fetchMock } = renderWithApp(<ReportUploadDialog open onClose={() => {}} periodId={PERIOD_ID} items={[row(null)]} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async (input: string) => {
      const dryRun = input.endsWith('dryRun=1');
      if (clean)
        return json({
          dryRun,
          rows: [
            { row: 3, key: KEY, ok: true, errors: [] },
            { row: 4, key: 'x/', ok: true, errors: [] },
          ],
          valid: 2,
          invalid: 0,
          saved: dryRun ? 0 : 2,
        });
      return json({
        dryRun: true,
        rows: [
          { row: 3, key: KEY, ok: false, errors: [{ column: 'H', message: '完成率%应在 0 到 100 之间' }] },
          { row: 4, key: 'x/', ok: true, errors: [] },
        ],
        valid: 1,
        invalid: 1,
        saved: 0,
      });
    });

    pick(xlsx());
    expect(await screen.findByText('已填 2 行：无误 1 行，有错误 1 行', undefined, T)).toBeTruthy();
    const table = document.querySelector('.reporting-upload-errors') as HTMLElement;
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(expect.arrayContaining(['行', '列', '事项', '问题']));
    expect(within(table).getByText('完成率%应在 0 到 100 之间')).toBeTruthy();
    expect(within(table).getByText('H')).toBeTruthy();
    // The row's item, from the key.
    expect(within(table).getByText('第 7 项 · 改造城市道路')).toBeTruthy();
    expect(screen.getByText('无误的行：4')).toBeTruthy();
    expect(saveButton().disabled).toBe(true);

    const [url, first] = fetchMock.mock.calls[0];
    const init = first as RequestInit;
    expect(url).toBe(`/api/periods/${PERIOD_ID}/my-report-upload?dryRun=1`);
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-token');
    expect(init.body).toBeInstanceOf(FormData);
    expect(((init.body as FormData).get('file') as File).name).toBe('进展填报表.xlsx');

    // Fix the file, pick again.
    clean = true;
    fireEvent.click(screen.getByRole('button', { name: '重新选择文件' }));
    pick(xlsx('改正后.xlsx'));
    expect(await screen.findByText('全部无误，可以保存为草稿。', undefined, T)).toBeTruthy();
    expect(document.querySelector('.reporting-upload-errors')).toBeNull();
    expect(saveButton().disabled).toBe(false);
    fireEvent.click(saveButton());
    expect(await screen.findByText('已保存 2 份草稿。请核对后提交。', undefined, T)).toBeTruthy();
    expect(fetchMock.mock.calls.at(-1)?.[0]).toBe(`/api/periods/${PERIOD_ID}/my-report-upload?dryRun=0`);
  });

  it('a file that is not the template shows the server’s refusal in Chinese', async () => {
    const { fetchMock } = renderWithApp(<ReportUploadDialog open onClose={() => {}} periodId={PERIOD_ID} items={[]} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async () =>
      json(
        {
          status: 422,
          code: 'not_a_report_template',
          title: 'Unprocessable',
          detail: 'this workbook is not a Luoshi 进展填报表: download the template for the period and fill it in',
        },
        422,
      ),
    );
    pick(xlsx('别的表.xlsx'));
    expect(await screen.findByText('该工作簿不是落实系统的进展填报表：请下载本期模板后填写。', undefined, T)).toBeTruthy();
    expect(saveButton().disabled).toBe(true);

    fetchMock.mockImplementation(async () =>
      json({ status: 415, code: 'not_xlsx', title: 'Unsupported', detail: 'the upload is not an Excel .xlsx workbook' }, 415),
    );
    fireEvent.click(screen.getByRole('button', { name: '重新选择文件' }));
    pick(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await waitFor(() => expect(screen.getByText('上传的文件不是 Excel .xlsx 工作簿：请上传下载的填报模板。')).toBeTruthy(), T);
  });
});
