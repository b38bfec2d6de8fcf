import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PREP_KINDS, PREP_STATES, PROJECT_NATURES } from '../../../../shared/schemas/project.schema.ts';
import { useServerYear } from '../../../lib/api/ledger.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type ProjectDetail, useProject, useProjectLists, useProjectWrite } from '../api/projects.api.ts';
import { wanToYuan } from '../project-format.ts';
import { ProjectsMap } from './projects-map.tsx';

interface FormValues {
  name: string;
  categoryCode: string;
  ownerName?: string;
  nature: (typeof PROJECT_NATURES)[number];
  location?: { lng: number; lat: number };
  address?: string;
  scale?: string;
  startDate?: Dayjs;
  endDate?: Dayjs;
  total?: string;
  planYear: number;
  annual?: string;
  funding: Array<{ sourceCode?: string; planned?: string; arrived?: string }>;
  prep: Array<{ kind: (typeof PREP_KINDS)[number]; state: (typeof PREP_STATES)[number]; docNo?: string }>;
}

const yuanText = (yuan: number) => String(yuan / 10_000);

/** A form field whose value is set elsewhere (the map picker): renders nothing. */
function HeldValue(_: { value?: unknown; onChange?: unknown }) {
  return null;
}

function initialValues(p: ProjectDetail | undefined, serverYear: number): Partial<FormValues> {
  if (!p) {
    return {
      nature: 'new',
      planYear: serverYear,
      funding: [{}],
      prep: PREP_KINDS.map((kind) => ({ kind, state: 'pending' as const })),
    };
  }
  return {
    name: p.name,
    categoryCode: p.categoryCode,
    ownerName: p.ownerName,
    nature: p.nature,
    location: { lng: p.location.lng, lat: p.location.lat },
    address: p.address,
    scale: p.scale,
    startDate: dayjs(p.startDate),
    endDate: dayjs(p.endDate),
    total: yuanText(p.totalInvestment),
    planYear: p.planYear,
    annual: yuanText(p.annualPlan),
    funding: p.funding.map((f) => ({
      sourceCode: f.sourceCode,
      planned: yuanText(f.planned),
      arrived: f.arrived ? yuanText(f.arrived) : undefined,
    })),
    prep: PREP_KINDS.map((kind) => {
      const item = p.prep.find((x) => x.kind === kind);
      return { kind, state: item?.state ?? 'pending', docNo: item?.docNo ?? '' };
    }),
  };
}

/** /projects/new and /projects/:projectId/edit — the project form, checked as it is typed. */
export function ProjectFormPage() {
  const { projectId } = useParams();
  const existing = useProject(projectId);
  if (projectId && !existing.data) return existing.error ? <Alert type="error" message={String(existing.error)} /> : <Skeleton active />;
  return <ProjectForm project={existing.data} />;
}

function ProjectForm({ project }: { project: ProjectDetail | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const lists = useProjectLists();
  const create = useProjectWrite<Record<string, unknown>>('post', () => '/projects');
  const update = useProjectWrite<Record<string, unknown>>('put', () => `/projects/${project?.id}`);
  const save = project ? update : create;
  const serverYear = useServerYear();
  const initial = useMemo(() => initialValues(project, serverYear), [project, serverYear]);

  const total = wanToYuan(Form.useWatch('total', form));
  const funding = Form.useWatch('funding', form) ?? [];
  const location = Form.useWatch('location', form);
  const sum = funding.reduce((a, f) => a + (wanToYuan(f?.planned) ?? 0), 0);
  const diff = total === null ? null : sum - total;

  const wanRule = (required: boolean) => ({
    validator: (_: unknown, v: unknown) =>
      (v === undefined || v === '' || v === null) && !required
        ? Promise.resolve()
        : wanToYuan(v) === null
          ? Promise.reject(new Error(t('projects.form.wanInvalid')))
          : Promise.resolve(),
  });

  const onFinish = (v: FormValues) => {
    if (!v.location) {
      void message.error(t('projects.form.locationRequired'));
      return;
    }
    const body = {
      name: v.name,
      categoryCode: v.categoryCode,
      ownerName: v.ownerName ?? '',
      location: { lng: v.location.lng, lat: v.location.lat, datum: 'GCJ02' },
      address: v.address ?? '',
      nature: v.nature,
      scale: v.scale ?? '',
      startDate: v.startDate?.format('YYYY-MM-DD'),
      endDate: v.endDate?.format('YYYY-MM-DD'),
      totalInvestment: wanToYuan(v.total),
      planYear: v.planYear,
      annualPlan: wanToYuan(v.annual),
      funding: v.funding.map((f) => ({ sourceCode: f.sourceCode, planned: wanToYuan(f.planned), arrived: wanToYuan(f.arrived) ?? 0 })),
      // The kind is the row's position (its label is text, not a field).
      prep: v.prep.map((p, i) => ({ kind: PREP_KINDS[i], state: p.state, docNo: p.docNo ?? '', date: null })),
      taskIds: project?.taskIds ?? [],
      targets: project?.targets ?? [],
      ...(project ? { version: project.version } : {}),
    };
    save.mutate(body, {
      onSuccess: (p) => {
        void message.success(t('projects.form.saved'));
        navigate(`/projects/${p.id}`);
      },
    });
  };

  return (
    <div>
      <Typography.Title level={3}>{project ? t('projects.form.titleEdit') : t('projects.form.titleNew')}</Typography.Title>
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={onFinish} scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card size="small">
              <Form.Item
                name="name"
                label={t('projects.form.name')}
                rules={[{ required: true, whitespace: true, message: t('projects.form.required') }]}
              >
                <Input maxLength={200} />
              </Form.Item>
              <Space wrap>
                <Form.Item
                  name="categoryCode"
                  label={t('projects.form.category')}
                  rules={[{ required: true, message: t('projects.form.required') }]}
                >
                  <Select style={{ width: 160 }} options={(lists.data?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))} />
                </Form.Item>
                <Form.Item name="nature" label={t('projects.form.nature')} rules={[{ required: true }]}>
                  <Select style={{ width: 160 }} options={PROJECT_NATURES.map((n) => ({ value: n, label: t(`projects.nature.${n}`) }))} />
                </Form.Item>
                <Form.Item name="ownerName" label={t('projects.form.owner')}>
                  <Input style={{ width: 200 }} maxLength={200} />
                </Form.Item>
              </Space>
              <Form.Item name="address" label={t('projects.form.address')}>
                <Input maxLength={500} />
              </Form.Item>
              <Form.Item name="scale" label={t('projects.form.scale')}>
                <Input.TextArea rows={2} maxLength={20_000} />
              </Form.Item>
              <Space wrap>
                <Form.Item
                  name="startDate"
                  label={t('projects.form.start')}
                  rules={[{ required: true, message: t('projects.form.required') }]}
                >
                  <DatePicker />
                </Form.Item>
                <Form.Item
                  name="endDate"
                  label={t('projects.form.end')}
                  dependencies={['startDate']}
                  rules={[
                    { required: true, message: t('projects.form.required') },
                    ({ getFieldValue }) => ({
                      validator: (_, v: Dayjs | undefined) => {
                        const start = getFieldValue('startDate') as Dayjs | undefined;
                        return v && start && v.isBefore(start, 'day')
                          ? Promise.reject(new Error(t('projects.form.datesOrder')))
                          : Promise.resolve();
                      },
                    }),
                  ]}
                >
                  <DatePicker />
                </Form.Item>
                <Form.Item name="planYear" label={t('projects.form.year')} rules={[{ required: true }]}>
                  <InputNumber min={2000} max={2100} />
                </Form.Item>
              </Space>
              <Space wrap>
                <Form.Item
                  name="total"
                  label={t('projects.form.total')}
                  rules={[{ required: true, message: t('projects.form.required') }, wanRule(true)]}
                >
                  <Input style={{ width: 180 }} inputMode="decimal" />
                </Form.Item>
                <Form.Item
                  name="annual"
                  label={t('projects.form.annual')}
                  dependencies={['total']}
                  rules={[
                    { required: true, message: t('projects.form.required') },
                    wanRule(true),
                    ({ getFieldValue }) => ({
                      validator: (_, v) => {
                        const a = wanToYuan(v);
                        const tot = wanToYuan(getFieldValue('total'));
                        return a !== null && tot !== null && a > tot
                          ? Promise.reject(new Error(t('projects.form.annualTooBig')))
                          : Promise.resolve();
                      },
                    }),
                  ]}
                >
                  <Input style={{ width: 180 }} inputMode="decimal" />
                </Form.Item>
              </Space>
            </Card>
            <Card size="small" title={t('projects.form.funding')} style={{ marginTop: 16 }}>
              <Form.List name="funding">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field, i) => (
                      <Space key={field.key} align="baseline" wrap data-testid={`funding-row-${i}`}>
                        <Form.Item name={[field.name, 'sourceCode']} rules={[{ required: true, message: t('projects.form.required') }]}>
                          <Select
                            aria-label={t('projects.form.source')}
                            placeholder={t('projects.form.source')}
                            style={{ width: 170 }}
                            options={(lists.data?.fundingSources ?? []).map((s) => ({ value: s.code, label: s.name }))}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'planned']}
                          rules={[{ required: true, message: t('projects.form.required') }, wanRule(true)]}
                        >
                          <Input
                            aria-label={t('projects.form.planned')}
                            placeholder={t('projects.form.planned')}
                            style={{ width: 150 }}
                            inputMode="decimal"
                          />
                        </Form.Item>
                        <Form.Item name={[field.name, 'arrived']} rules={[wanRule(false)]}>
                          <Input
                            aria-label={t('projects.form.arrived')}
                            placeholder={t('projects.form.arrived')}
                            style={{ width: 150 }}
                            inputMode="decimal"
                          />
                        </Form.Item>
                        {fields.length > 1 && (
                          <Button
                            type="text"
                            aria-label={t('projects.form.removeSource')}
                            icon={<MinusCircleOutlined aria-hidden />}
                            onClick={() => remove(field.name)}
                          />
                        )}
                      </Space>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({})}>
                      {t('projects.form.addSource')}
                    </Button>
                  </>
                )}
              </Form.List>
              <div style={{ marginTop: 12 }} data-testid="funding-check">
                {diff === null || diff !== 0 ? (
                  <Alert
                    type="warning"
                    showIcon
                    message={t('projects.form.fundingSum', { sum: sum / 10_000, total: (total ?? 0) / 10_000 })}
                    description={diff === null ? undefined : t('projects.form.fundingMismatch', { diff: diff / 10_000 })}
                  />
                ) : (
                  <Alert type="success" showIcon message={t('projects.form.fundingOk')} />
                )}
              </div>
            </Card>
            <Card size="small" title={t('projects.form.prep')} style={{ marginTop: 16 }}>
              <Form.List name="prep">
                {(fields) =>
                  fields.map((field, i) => (
                    <Space key={field.key} align="baseline" wrap>
                      <span style={{ width: 160, display: 'inline-block' }}>
                        {t(`projects.prep.${initial.prep?.[i]?.kind ?? PREP_KINDS[i]!}`)}
                      </span>
                      <Form.Item name={[field.name, 'state']}>
                        <Select
                          style={{ width: 120 }}
                          options={PREP_STATES.map((s) => ({ value: s, label: t(`projects.prepState.${s}`) }))}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'docNo']}>
                        <Input placeholder={t('projects.form.docNo')} style={{ width: 200 }} maxLength={100} />
                      </Form.Item>
                    </Space>
                  ))
                }
              </Form.List>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('projects.form.location')}>
              <Typography.Paragraph type="secondary">{t('projects.form.locationHint')}</Typography.Paragraph>
              <Form.Item name="location" noStyle>
                <HeldValue />
              </Form.Item>
              <ProjectsMap
                points={location ? [{ id: 'picked', name: '', lng: location.lng, lat: location.lat, colour: '#f5222d' }] : []}
                onPick={(lng, lat) => form.setFieldValue('location', { lng, lat })}
                height={460}
              />
              <Typography.Paragraph data-testid="picked-location">
                {location
                  ? t('projects.form.locationPicked', { lng: location.lng, lat: location.lat })
                  : t('projects.form.locationRequired')}
              </Typography.Paragraph>
            </Card>
          </Col>
        </Row>
        {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} style={{ marginTop: 16 }} />}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('projects.form.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('projects.form.cancel')}</Button>
        </Space>
      </Form>
    </div>
  );
}
