import { Alert, Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type ProjectReport, useProjectWrite } from '../api/projects.api.ts';

/**
 * The office's 通过 / 退回 on one submitted monthly report: approve at once, or return with a
 * reason (required: the unit corrects and resubmits against it). The same control on the project
 * page and in the review queue, so a reviewer need not open each project.
 */
export function ReportReviewActions({ report }: { report: Pick<ProjectReport, 'id' | 'version' | 'projectName' | 'periodEnd'> }) {
  const { t } = useI18n();
  const review = useProjectWrite<{ id: string; body: unknown }, ProjectReport>(
    'post',
    (b) => `/project-reports/${b.id}/review`,
    (b) => b.body,
  );
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  return (
    <>
      <Space>
        <Button
          size="small"
          loading={review.isPending && !returning}
          aria-label={`${t('projects.report.approve')} ${report.projectName} ${report.periodEnd}`}
          onClick={() => review.mutate({ id: report.id, body: { version: report.version, decision: 'approve' } })}
        >
          {t('projects.report.approve')}
        </Button>
        <Button
          size="small"
          danger
          aria-label={`${t('projects.page.return')} ${report.projectName} ${report.periodEnd}`}
          onClick={() => setReturning(true)}
        >
          {t('projects.page.return')}
        </Button>
      </Space>
      {review.error && <Alert style={{ marginTop: 4 }} type="error" showIcon message={describeError(review.error, t)} />}
      <Modal
        open={returning}
        title={t('projects.report.returnTitle')}
        okText={t('projects.page.return')}
        okButtonProps={{ danger: true, disabled: !note.trim(), loading: review.isPending }}
        onCancel={() => setReturning(false)}
        onOk={() =>
          review.mutate(
            { id: report.id, body: { version: report.version, decision: 'return', note: note.trim() } },
            {
              onSuccess: () => {
                setReturning(false);
                setNote('');
              },
            },
          )
        }
      >
        <Input.TextArea
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-label={t('projects.report.returnNote')}
          placeholder={t('projects.report.returnNote')}
        />
      </Modal>
    </>
  );
}
