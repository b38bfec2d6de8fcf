import { Alert, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router';
import { addDays } from '../../../../shared/china-date.ts';
import { CALENDAR_DATE_PATTERN } from '../../../../shared/schemas/common.schema.ts';
import { useLedgerAsOf } from '../../../lib/api/ledger.api.ts';
import type { LedgerRow } from '../../../../shared/schemas/ledger.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useAllLedgerRows, useIssueNotice } from '../api/supervision.api.ts';
import '../supervision.css';

/** The most rows one notice takes (CreateNoticeBody). */
export const MAX_NOTICE_ROWS = 200;

const rowKey = (row: LedgerRow) => `${row.taskId}|${row.responsible?.id ?? ''}`;

/** The ledger rows a notice can be issued on: those with a responsible unit, at most 200. */
export function noticeableRows(rows: readonly LedgerRow[]): { rows: LedgerRow[]; total: number; skipped: number } {
  const withUnit = rows.filter((r) => r.responsible);
  return { rows: withUnit.slice(0, MAX_NOTICE_ROWS), total: withUnit.length, skipped: rows.length - withUnit.length };
}

interface IssueValues {
  rowKeys?: string[];
  reason: string;
  requiredAction: string;
  /** YYYY-MM-DD, as the date field holds it. */
  dueDate: string;
}

export interface IssueNoticeDialogProps {
  open: boolean;
  onClose: () => void;
  /** Rows chosen elsewhere (the ledger's filtered rows); without them the dialog lets the user pick. */
  prefill?: readonly LedgerRow[];
}

/** 下发督办: the rows, the matter, what is required and by when; opens the new notice when issued. */
export function IssueNoticeDialog({ open, onClose, prefill }: IssueNoticeDialogProps) {
  const { t } = useI18n();
  return (
    <Modal open={open} title={t('supervision.issueTitle')} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      {open && <IssueNoticeForm onClose={onClose} prefill={prefill} />}
    </Modal>
  );
}

function IssueNoticeForm({ onClose, prefill }: { onClose: () => void; prefill?: readonly LedgerRow[] }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<IssueValues>();
  const issue = useIssueNotice();
  // The server's today (LUOSHI_TODAY in a demo), not the browser's calendar: the data is "as of" it.
  const today = useLedgerAsOf();
  const defaultDue = addDays(today, 7);
  const shownDefault = useRef(defaultDue);
  useEffect(() => {
    // The server's today can arrive after the dialog opened: move the default unless it was edited.
    if (form.getFieldValue('dueDate') === shownDefault.current) form.setFieldValue('dueDate', defaultDue);
    shownDefault.current = defaultDue;
  }, [form, defaultDue]);
  const ledger = useAllLedgerRows(!prefill);
  const fixed = useMemo(() => (prefill ? noticeableRows(prefill) : null), [prefill]);
  const choices = useMemo(() => (ledger.data?.rows ?? []).filter((r) => r.responsible), [ledger.data]);
  const byKey = useMemo(() => new Map(choices.map((r) => [rowKey(r), r])), [choices]);
  const options = useMemo(
    () =>
      choices.map((r) => ({
        value: rowKey(r),
        label: t('supervision.issue.rowLabel', { seq: r.seq, org: r.responsible?.name ?? '', text: r.text }),
        search: `${r.seq} ${r.text} ${r.responsible?.name ?? ''}`.toLowerCase(),
      })),
    [choices, t],
  );
  const units = useMemo(() => [...new Set((fixed?.rows ?? []).map((r) => r.responsible?.name ?? ''))], [fixed]);

  const submit = (values: IssueValues) => {
    const rows = fixed
      ? fixed.rows
      : (values.rowKeys ?? []).flatMap((key) => {
          const row = byKey.get(key);
          return row ? [row] : [];
        });
    issue.mutate(
      {
        rows: rows.map((r) => ({ taskId: r.taskId, orgId: r.responsible?.id ?? '' })),
        reason: values.reason.trim(),
        requiredAction: values.requiredAction.trim(),
        dueDate: values.dueDate,
      },
      {
        onSuccess: (notice) => {
          onClose();
          navigate(`/supervision/${notice.id}`);
        },
      },
    );
  };

  const noRows = fixed !== null && fixed.rows.length === 0;

  return (
    <Form<IssueValues>
      form={form}
      layout="vertical"
      className="notice-form"
      requiredMark
      initialValues={{ reason: '', requiredAction: '', dueDate: defaultDue }}
      onFinish={submit}
    >
      {fixed ? (
        <div className="notice-issue-rows">
          {noRows ? (
            <Alert type="warning" showIcon title={t('supervision.issue.noRows')} />
          ) : (
            <>
              <Typography.Paragraph>
                <strong>{t('supervision.issue.rowsSelected', { count: fixed.rows.length })}</strong>
                {' · '}
                <Typography.Text type="secondary">{units.slice(0, 12).join('、') + (units.length > 12 ? '…' : '')}</Typography.Text>
              </Typography.Paragraph>
              {fixed.total > MAX_NOTICE_ROWS && (
                <Alert type="warning" showIcon title={t('supervision.issue.capped', { total: fixed.total, max: MAX_NOTICE_ROWS })} />
              )}
              {fixed.skipped > 0 && <Alert type="info" showIcon title={t('supervision.issue.skipped', { count: fixed.skipped })} />}
            </>
          )}
        </div>
      ) : (
        <Form.Item
          name="rowKeys"
          label={t('supervision.issue.rows')}
          extra={t('supervision.issue.rowsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('supervision.issue.rowsRequired') }]}
        >
          <Select
            mode="multiple"
            allowClear
            loading={ledger.isPending}
            options={options}
            maxTagCount="responsive"
            placeholder={t('supervision.issue.rowsHint')}
            filterOption={(input, option) => Boolean(option?.search.includes(input.trim().toLowerCase()))}
            optionRender={(option) => <span className="notice-row-option">{option.label}</span>}
            // A chosen row as a short tag (第 N 项 · unit); the whole clause is in the option list.
            labelRender={({ value }) => {
              const row = byKey.get(String(value));
              return row ? t('supervision.issue.rowTag', { seq: row.seq, org: row.responsible?.name ?? '' }) : String(value);
            }}
          />
        </Form.Item>
      )}
      <Form.Item
        name="reason"
        label={t('supervision.issue.reason')}
        rules={[{ required: true, whitespace: true, message: t('supervision.issue.reasonRequired') }]}
      >
        <Input maxLength={500} placeholder={t('supervision.issue.reasonPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="requiredAction"
        label={t('supervision.issue.requiredAction')}
        rules={[{ required: true, whitespace: true, message: t('supervision.issue.requiredActionRequired') }]}
      >
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
          placeholder={t('supervision.issue.requiredActionPlaceholder')}
        />
      </Form.Item>
      <Form.Item
        name="dueDate"
        label={t('supervision.issue.dueDate')}
        rules={[
          { required: true, message: t('supervision.issue.dueDateRequired') },
          { pattern: new RegExp(CALENDAR_DATE_PATTERN), message: t('supervision.issue.dueDateRequired') },
        ]}
      >
        {/* A native date field: what is typed is the value at once, so Enter submits the typed date. */}
        <Input type="date" className="notice-due-date" min="1900-01-01" max="2999-12-31" />
      </Form.Item>
      {issue.isError && <Alert type="error" showIcon title={describeError(issue.error, t)} className="notice-form-error" />}
      <div className="notice-form-footer">
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={issue.isPending} disabled={noRows}>
            {t('supervision.issue.submit')}
          </Button>
        </Space>
      </div>
    </Form>
  );
}
