import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Progress, Segmented, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PROJECT_STATUSES, type ProjectStatus } from '../../../../shared/schemas/project.schema.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { exportHref, type ProjectFilter, type ProjectList, useProjectLists, useProjects } from '../api/projects.api.ts';
import { CATEGORY_COLOURS, STATUS_COLOURS, wan } from '../project-format.ts';
import { ImportDialog } from './import-dialog.tsx';
import { ProjectsMap } from './projects-map.tsx';

type Row = ProjectList['items'][number];

/** Reads the library filter from the URL, dropping unknown values. */
export function parseProjectFilter(params: URLSearchParams): ProjectFilter {
  const status = params.get('status') ?? '';
  const year = Number(params.get('planYear'));
  return {
    orgId: params.get('orgId') || undefined,
    categoryCode: params.get('categoryCode') || undefined,
    status: (PROJECT_STATUSES as readonly string[]).includes(status) ? (status as ProjectStatus) : undefined,
    planYear: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    q: params.get('q') || undefined,
  };
}

/** /projects — the project library: filters kept in the URL, a list or a map, Excel out and in. */
export function ProjectsPage() {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const role = session.user.role;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => parseProjectFilter(params), [params]);
  const view = params.get('view') === 'map' ? 'map' : 'list';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = view === 'map' ? 500 : 20;
  const projects = useProjects(filter, pageSize, view === 'map' ? 0 : (page - 1) * pageSize);
  const lists = useProjectLists();
  const orgs = useOrganisations();
  const [colourBy, setColourBy] = useState<'status' | 'category'>('status');
  const [importing, setImporting] = useState(false);

  const set = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  const categoryIndex = new Map((lists.data?.categories ?? []).map((c, i) => [c.code, i]));
  const colourOf = (p: Row) =>
    colourBy === 'status'
      ? STATUS_COLOURS[p.status]
      : CATEGORY_COLOURS[(categoryIndex.get(p.categoryCode) ?? 0) % CATEGORY_COLOURS.length]!;
  const canCreate = role === 'unit' || role === 'admin';

  const columns: TableColumnsType<Row> = [
    { title: t('projects.col.name'), dataIndex: 'name', render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
    { title: t('projects.col.org'), dataIndex: 'orgName', width: 140 },
    { title: t('projects.col.category'), dataIndex: 'categoryName', width: 110 },
    {
      title: t('projects.col.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: ProjectStatus) => <Tag color={STATUS_COLOURS[s]}>{t(`projects.status.${s}`)}</Tag>,
    },
    { title: t('projects.col.year'), dataIndex: 'planYear', width: 70 },
    { title: t('projects.col.total'), dataIndex: 'totalInvestment', width: 130, align: 'right', render: (v: number) => wan(v, locale) },
    { title: t('projects.col.annual'), dataIndex: 'annualPlan', width: 130, align: 'right', render: (v: number) => wan(v, locale) },
    { title: t('projects.col.invested'), dataIndex: 'investedThisYear', width: 130, align: 'right', render: (v: number) => wan(v, locale) },
    {
      title: t('projects.col.progress'),
      dataIndex: 'progressPct',
      width: 120,
      render: (v: number | null) => (v === null ? '—' : <Progress percent={v} size="small" />),
    },
  ];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('projects.title')}
        </Typography.Title>
        <Space wrap>
          {canCreate && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/projects/new')}>
              {t('projects.new')}
            </Button>
          )}
          {canCreate && <Button onClick={() => setImporting(true)}>{t('projects.import')}</Button>}
          <Button icon={<DownloadOutlined aria-hidden />} href={exportHref(filter)}>
            {t('projects.export')}
          </Button>
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        {(role === 'admin' || role === 'leader') && (
          <Select
            allowClear
            aria-label={t('projects.filter.org')}
            placeholder={t('projects.filter.org')}
            style={{ width: 180 }}
            value={filter.orgId}
            onChange={(v) => set('orgId', v)}
            options={(orgs.data?.items ?? []).filter((o) => o.kind === 'jurisdiction').map((o) => ({ value: o.id, label: o.name }))}
          />
        )}
        <Select
          allowClear
          aria-label={t('projects.filter.category')}
          placeholder={t('projects.filter.category')}
          style={{ width: 140 }}
          value={filter.categoryCode}
          onChange={(v) => set('categoryCode', v)}
          options={(lists.data?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))}
        />
        <Select
          allowClear
          aria-label={t('projects.filter.status')}
          placeholder={t('projects.filter.status')}
          style={{ width: 120 }}
          value={filter.status}
          onChange={(v) => set('status', v)}
          options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.status.${s}`) }))}
        />
        <Select
          allowClear
          aria-label={t('projects.filter.year')}
          placeholder={t('projects.filter.year')}
          style={{ width: 110 }}
          value={filter.planYear}
          onChange={(v) => set('planYear', v)}
          options={[2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027].map((y) => ({ value: y, label: String(y) }))}
        />
        <Input.Search
          allowClear
          placeholder={t('projects.filter.q')}
          defaultValue={filter.q}
          onSearch={(v) => set('q', v)}
          style={{ width: 200 }}
        />
        <Button onClick={() => setParams(view === 'map' ? { view: 'map' } : {}, { replace: true })}>{t('projects.filter.reset')}</Button>
        <Segmented
          value={view}
          onChange={(v) => set('view', v === 'map' ? 'map' : undefined)}
          options={[
            { value: 'list', label: t('projects.view.list') },
            { value: 'map', label: t('projects.view.map') },
          ]}
        />
      </Space>
      {projects.error && <Alert type="error" showIcon message={describeError(projects.error, t)} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('projects.count', { count: projects.data?.total ?? 0 })}</Typography.Paragraph>
      {view === 'map' ? (
        <>
          <Space style={{ marginBottom: 8 }}>
            <span>{t('projects.map.colourBy')}</span>
            <Segmented
              value={colourBy}
              onChange={(v) => setColourBy(v as 'status' | 'category')}
              options={[
                { value: 'status', label: t('projects.map.byStatus') },
                { value: 'category', label: t('projects.map.byCategory') },
              ]}
            />
          </Space>
          <ProjectsMap
            points={(projects.data?.items ?? []).map((p) => ({
              id: p.id,
              name: p.name,
              lng: p.location.lng,
              lat: p.location.lat,
              colour: colourOf(p),
            }))}
            onPointClick={(id) => navigate(`/projects/${id}`)}
            height={560}
          />
          <Space wrap style={{ marginTop: 8 }}>
            {colourBy === 'status'
              ? PROJECT_STATUSES.map((s) => (
                  <Tag key={s} color={STATUS_COLOURS[s]}>
                    {t(`projects.status.${s}`)}
                  </Tag>
                ))
              : (lists.data?.categories ?? []).map((c, i) => (
                  <Tag key={c.code} color={CATEGORY_COLOURS[i % CATEGORY_COLOURS.length]}>
                    {c.name}
                  </Tag>
                ))}
          </Space>
        </>
      ) : (
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={projects.isLoading}
          columns={columns}
          dataSource={projects.data?.items ?? []}
          locale={{ emptyText: t('projects.empty') }}
          pagination={{
            current: page,
            pageSize,
            total: projects.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => set('page', p),
          }}
        />
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
