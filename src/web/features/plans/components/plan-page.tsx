import { ArrowLeftOutlined, EditOutlined, ImportOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { SectionNode } from '../../../../shared/schemas/plan.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { usePlan, usePlanTasks } from '../../../lib/api/plans.api.ts';
import { SectionTree } from './section-tree.tsx';
import { TaskTable } from './task-table.tsx';
import './plan-page.css';

const DEFAULT_PAGE_SIZE = 20;

function findSection(sections: SectionNode[], id: string | undefined): SectionNode | undefined {
  if (!id) return undefined;
  for (const section of sections) {
    if (section.id === id) return section;
    const found = findSection(section.children, id);
    if (found) return found;
  }
  return undefined;
}

/** /plans/:planId — outline on the left, the tasks of the chosen section on the right. Filters live in the URL. */
export function PlanPage() {
  const { planId = '' } = useParams();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const isAdmin = useCurrentSession().user.role === 'admin';
  const sectionId = params.get('section') ?? undefined;
  const orgId = params.get('org') ?? undefined;
  const q = params.get('q') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(500, Math.max(1, Number(params.get('size')) || DEFAULT_PAGE_SIZE));

  const plan = usePlan(planId);
  const organisations = useOrganisations();
  const tasks = usePlanTasks(planId, { sectionId, orgId, q, limit: pageSize, offset: (page - 1) * pageSize });

  const update = (changes: Record<string, string | undefined>, resetPage = true) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  const orgOptions = useMemo(
    () =>
      (organisations.data?.items ?? [])
        .map((o) => ({ value: o.id, label: o.name, search: [o.name, ...o.aliases].join(' ') }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    [organisations.data],
  );

  if (plan.isPending) return <PageSpinner />;
  if (plan.isError) return <ErrorResult error={plan.error} onRetry={() => plan.refetch()} />;

  const section = findSection(plan.data.sections, sectionId);

  return (
    <div className="plan-page">
      <Link to="/plans" className="plan-back">
        <ArrowLeftOutlined aria-hidden /> {t('plan.back')}
      </Link>
      <Typography.Title level={1} style={{ fontSize: 20, margin: '0 0 6px' }}>
        {plan.data.title}
      </Typography.Title>
      <Space size="small" wrap className="plan-meta">
        {plan.data.issuer && <Typography.Text type="secondary">{plan.data.issuer}</Typography.Text>}
        {plan.data.year && <Tag>{plan.data.year}</Tag>}
        <Tag color="blue">{t('plan.taskCount', { count: plan.data.taskCount })}</Tag>
        {isAdmin && (
          <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => navigate(`/plans/${planId}/edit`)}>
            {t('planEdit.open')}
          </Button>
        )}
        {isAdmin && (
          <Button size="small" icon={<ImportOutlined aria-hidden />} onClick={() => navigate(`/imports/new?revises=${planId}`)}>
            {t('plan.importRevision')}
          </Button>
        )}
      </Space>
      <div className="plan-body">
        <aside className="plan-outline">
          <Card title={<h2 className="card-heading">{t('plan.outline')}</h2>} size="small" className="plan-outline-card">
            <nav aria-label={t('plan.outlineLabel')}>
              <SectionTree sections={plan.data.sections} selectedId={sectionId} onSelect={(id) => update({ section: id })} />
            </nav>
          </Card>
        </aside>
        <section className="plan-tasks" aria-labelledby="plan-tasks-heading">
          <Card
            size="small"
            title={
              <h2 className="card-heading" id="plan-tasks-heading">
                {section ? `${section.path.join(' ')} ${section.title}` : t('plan.allTasks')}
              </h2>
            }
          >
            <Form layout="inline" className="plan-filters" onSubmitCapture={(e) => e.preventDefault()}>
              <Form.Item label={t('plan.filterUnit')} htmlFor="plan-filter-unit">
                <Select
                  id="plan-filter-unit"
                  aria-label={t('plan.filterUnit')}
                  allowClear
                  showSearch={{ optionFilterProp: 'search' }}
                  placeholder={t('plan.filterUnitPlaceholder')}
                  options={orgOptions}
                  loading={organisations.isPending}
                  value={orgId}
                  onChange={(value?: string) => update({ org: value })}
                  style={{ width: 240, maxWidth: '100%' }}
                />
              </Form.Item>
              <Form.Item label={t('plan.filterKeyword')} htmlFor="plan-filter-q">
                <Input.Search
                  id="plan-filter-q"
                  key={q ?? ''}
                  defaultValue={q}
                  allowClear
                  placeholder={t('plan.filterKeywordPlaceholder')}
                  enterButton={t('common.search')}
                  onSearch={(value) => update({ q: value.trim() || undefined })}
                  style={{ width: 300, maxWidth: '100%' }}
                />
              </Form.Item>
            </Form>
            {tasks.isError ? (
              <ErrorResult error={tasks.error} onRetry={() => tasks.refetch()} />
            ) : (
              <TaskTable
                tasks={tasks.data?.items ?? []}
                total={tasks.data?.total ?? 0}
                page={page}
                pageSize={pageSize}
                loading={tasks.isFetching}
                onPageChange={(nextPage, nextSize) =>
                  update(
                    {
                      page: nextPage > 1 ? String(nextPage) : undefined,
                      size: nextSize !== DEFAULT_PAGE_SIZE ? String(nextSize) : undefined,
                    },
                    false,
                  )
                }
              />
            )}
          </Card>
        </section>
      </div>
    </div>
  );
}
