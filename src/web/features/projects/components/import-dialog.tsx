import { Alert, Button, List, Modal, Space, Upload } from 'antd';
import { useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type ProjectImportResult, templateHref, useImportProjects } from '../api/projects.api.ts';

/** Check an Excel sheet of projects (dry run), then import it: all rows, or none. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ProjectImportResult | null>(null);
  const run = useImportProjects();
  const send = (dryRun: boolean) => {
    if (!file) return;
    run.mutate({ file, dryRun }, { onSuccess: setResult });
  };
  return (
    <Modal open title={t('projects.import.title')} onCancel={onClose} footer={null} width={640}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <a href={templateHref()}>{t('projects.template')}</a>
        <Upload
          accept=".xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button>{t('projects.import.pick')}</Button>
        </Upload>
        <Space>
          <Button disabled={!file} loading={run.isPending} onClick={() => send(true)}>
            {t('projects.import.check')}
          </Button>
          <Button
            type="primary"
            disabled={!file || !result || result.problems.length > 0 || !result.dryRun}
            loading={run.isPending}
            onClick={() => send(false)}
          >
            {t('projects.import.run')}
          </Button>
        </Space>
        {run.error && <Alert type="error" showIcon message={describeError(run.error, t)} />}
        {result && result.problems.length === 0 && (
          <Alert
            type="success"
            showIcon
            message={result.dryRun ? t('projects.import.ok', { rows: result.rows }) : t('projects.import.done', { count: result.created })}
          />
        )}
        {result && result.problems.length > 0 && (
          <>
            <Alert type="warning" showIcon message={t('projects.import.problems', { rows: result.rows, count: result.problems.length })} />
            <List
              size="small"
              bordered
              dataSource={result.problems}
              renderItem={(p) => (
                <List.Item>
                  {p.row > 0 ? `${t('projects.import.row', { row: p.row })} ` : ''}
                  {p.column ? `【${p.column}】` : ''}
                  {p.message}
                </List.Item>
              )}
            />
          </>
        )}
      </Space>
    </Modal>
  );
}
