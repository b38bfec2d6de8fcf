import { App as AntApp, Alert, Button, Card, Input, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type SchemeBody, useCreateScheme, useSchemes, useUpdateScheme } from '../api/assessment.api.ts';
import { schemeIssues } from '../../../../shared/schemas/assessment.schema.ts';
import '../assessment.css';
import { SchemeForm } from './scheme-form.tsx';

/**
 * /assessments/schemes — the office edits a scheme in a form (categories, measures, vetoes, tiers,
 * peer groups, multipliers and year-end weights, checked against the shared schema) or as its JSON,
 * beside a summary of its categories and rules. A revision an assessment used is frozen: it shows
 * read-only, and "新版本" copies it into the family's next revision (the server's PUT on a frozen
 * scheme), which is then edited.
 */
export function SchemeEditorPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const schemes = useSchemes(true);
  const update = useUpdateScheme();
  const create = useCreateScheme();
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const current = schemes.data?.items.find((s) => s.id === selected) ?? schemes.data?.items.at(-1) ?? null;
  useEffect(() => {
    if (current) {
      setName(current.name);
      setText(JSON.stringify(current.scheme, null, 2));
    }
  }, [current]);
  const parsed = useMemo((): SchemeBody | null => {
    try {
      return JSON.parse(text) as SchemeBody;
    } catch {
      return null;
    }
  }, [text]);
  if (schemes.isLoading) return <Skeleton active />;
  if (schemes.error) return <Alert type="error" message={describeError(schemes.error, t)} />;
  const fail = (e: unknown) => message.error(describeError(e, t));
  const frozen = current?.frozen ?? false;
  const newVersion = () =>
    current &&
    update.mutate(
      { id: current.id, version: current.version, name: current.name, scheme: current.scheme as SchemeBody },
      {
        onSuccess: (s) => {
          setSelected(s.id);
          message.success(t('assessment.scheme.newVersionDone', { n: s.revision }));
        },
        onError: fail,
      },
    );
  const save = () => {
    if (!parsed) return message.error(t('assessment.scheme.invalidJson'));
    if (schemeIssues(parsed).errors.length > 0) return message.error(t('assessment.scheme.form.invalid'));
    if (!current)
      return create.mutate({ name, scheme: parsed }, { onSuccess: () => message.success(t('assessment.scheme.saved')), onError: fail });
    update.mutate(
      { id: current.id, version: current.version, name, scheme: parsed },
      {
        onSuccess: (s) => {
          setSelected(s.id);
          message.success(s.id === current.id ? t('assessment.scheme.saved') : t('assessment.scheme.revised', { n: s.revision }));
        },
        onError: fail,
      },
    );
  };
  return (
    <div className="assessment-page">
      <Typography.Title level={1} className="page-title">
        {t('assessment.scheme.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          aria-label={t('assessment.scheme.select')}
          className="assessment-select"
          value={current?.id}
          onChange={setSelected}
          options={(schemes.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${s.name} · ${t('assessment.scheme.revision', { n: s.revision })}`,
          }))}
        />
        {current && (
          <Tag color={current.frozen ? 'orange' : 'green'}>
            {t(current.frozen ? 'assessment.scheme.frozen' : 'assessment.scheme.editable')}
          </Tag>
        )}
        {current && frozen && (
          <Button onClick={newVersion} loading={update.isPending}>
            {t('assessment.scheme.newVersion')}
          </Button>
        )}
      </Space>
      {frozen && <Alert className="assessment-section" type="info" showIcon title={t('assessment.scheme.frozenReadOnly')} />}
      <div className="scheme-layout assessment-section">
        <div>
          <Input
            aria-label={t('assessment.scheme.name')}
            addonBefore={t('assessment.scheme.name')}
            value={name}
            readOnly={frozen}
            onChange={(e) => setName(e.target.value)}
          />
          <Tabs
            className="assessment-section"
            items={[
              {
                key: 'form',
                label: t('assessment.scheme.view.form'),
                children: parsed ? (
                  <SchemeForm value={parsed} readOnly={frozen} onChange={(next) => setText(JSON.stringify(next, null, 2))} />
                ) : null,
              },
              {
                key: 'json',
                label: t('assessment.scheme.view.json'),
                children: (
                  <Input.TextArea
                    aria-label={t('assessment.scheme.json')}
                    className="scheme-json"
                    rows={28}
                    readOnly={frozen}
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                  />
                ),
              },
            ]}
          />
          {!parsed && <Alert type="error" message={t('assessment.scheme.invalidJson')} />}
          <Space className="assessment-section">
            <Button type="primary" onClick={save} loading={update.isPending} disabled={frozen}>
              {t('assessment.scheme.save')}
            </Button>
            <Button
              onClick={() =>
                parsed &&
                create.mutate(
                  { name, scheme: parsed },
                  {
                    onSuccess: (s) => {
                      setSelected(s.id);
                      message.success(t('assessment.scheme.saved'));
                    },
                    onError: fail,
                  },
                )
              }
              disabled={!parsed}
            >
              {t('assessment.scheme.saveNew')}
            </Button>
          </Space>
        </div>
        {parsed && (
          <Card size="small" className="scheme-summary" title={t('assessment.scheme.categories')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={parsed.categories ?? []}
              columns={[
                { dataIndex: 'label', title: t('assessment.scheme.categories') },
                { dataIndex: 'points', title: t('assessment.col.total'), render: (n: number) => t('assessment.scheme.points', { n }) },
                {
                  key: 'rules',
                  title: t('assessment.scheme.rules'),
                  render: (_, c) =>
                    (parsed.rules ?? [])
                      .filter((r) => r.categoryId === c.id)
                      .map(
                        (r) =>
                          `${r.label}${r.kind === 'manual' || r.kind === 'bonus' ? `（≤${r.max}）` : ` ${r.points > 0 ? '+' : ''}${r.points}`}`,
                      )
                      .join('；'),
                },
              ]}
            />
          </Card>
        )}
      </div>
    </div>
  );
}
