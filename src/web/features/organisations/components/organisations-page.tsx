import { PlusOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  Flex,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { ORG_KINDS, type OrgKind } from '../../../../shared/enums.ts';
import type { Organisation } from '../../../../shared/schemas/organisation.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useDeclareCity, useDeleteOrganisation, useOrganisations, useTenants } from '../../../lib/api/organisations.api.ts';
import { buildJurisdictionTree, buildOrganisationTree, type JurisdictionNode, type OrganisationNode } from '../organisation-tree.ts';
import { OrganisationFormModal } from './organisation-form-modal.tsx';

const KIND_COLORS: Record<OrgKind, string> = {
  jurisdiction: 'geekblue',
  department: 'cyan',
  enterprise: 'gold',
  office: 'purple',
  group: 'magenta',
};

export function OrganisationsPage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const isAdmin = session.user.role === 'admin';
  const { message } = AntApp.useApp();
  const [q, setQ] = useState<string>();
  const [kind, setKind] = useState<OrgKind>();
  const [modal, setModal] = useState<{ open: boolean; organisation?: Organisation }>({ open: false });
  // The list stays the default (searching reads best flat); the tree shows the jurisdictions.
  const [view, setView] = useState<'list' | 'tree' | 'jurisdictions'>('list');
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const list = useOrganisations({ q, kind });
  const everyone = useOrganisations();
  const remove = useDeleteOrganisation();
  const tenants = useTenants();
  const declare = useDeclareCity();
  // The viewer's own jurisdiction: a province office may declare its organisations city offices.
  const myTenantId = everyone.data?.items.find((o) => o.id === session.org.id)?.tenantId ?? null;
  const myTenant = tenants.data?.items.find((x) => x.orgId === myTenantId);
  const tenantIds = useMemo(() => new Set((tenants.data?.items ?? []).map((x) => x.orgId)), [tenants.data]);
  const canDeclare = (org: Organisation) =>
    isAdmin && myTenant?.level === 'province' && org.tenantId === myTenant.orgId && !tenantIds.has(org.id) && org.kind !== 'group';
  const jurisdictions = useMemo(
    () => buildJurisdictionTree(tenants.data?.items ?? [], everyone.data?.items ?? []),
    [tenants.data, everyone.data],
  );
  const onDeclare = (org: Organisation) =>
    declare.mutate(org.id, {
      onSuccess: () => message.success(t('orgTree.declared')),
      onError: (error) => message.error(describeError(error, t)),
    });

  const names = useMemo(() => new Map((everyone.data?.items ?? []).map((o) => [o.id, o.name])), [everyone.data]);
  const rows: OrganisationNode[] = useMemo(
    () => (view === 'list' ? (list.data?.items ?? []) : buildOrganisationTree(list.data?.items ?? [])),
    [view, list.data],
  );
  const parentIds = useMemo(() => {
    const ids: string[] = [];
    const walk = (nodes: OrganisationNode[]) => {
      for (const n of nodes) {
        if (n.children) {
          ids.push(n.id);
          walk(n.children);
        }
      }
    };
    walk(rows);
    return ids;
  }, [rows]);

  const onDelete = (org: Organisation) =>
    remove.mutate(org, {
      onSuccess: () => message.success(t('common.deleted')),
      onError: (error) => message.error(isApiError(error) && error.isVersionConflict ? t('org.conflictDelete') : describeError(error, t)),
    });

  const columns: TableColumnsType<OrganisationNode> = [
    {
      title: t('org.name'),
      dataIndex: 'name',
      key: 'name',
      width: 220,
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    {
      title: t('org.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 120,
      sorter: (a, b) => ORG_KINDS.indexOf(a.kind) - ORG_KINDS.indexOf(b.kind),
      render: (v: OrgKind) => <Tag color={KIND_COLORS[v]}>{t(`orgKind.${v}`)}</Tag>,
    },
    {
      title: t('org.aliases'),
      dataIndex: 'aliases',
      key: 'aliases',
      render: (aliases: string[]) => (aliases.length ? aliases.join('、') : '—'),
    },
    { title: t('org.adminCode'), dataIndex: 'adminCode', key: 'adminCode', width: 130, render: (v: string | null) => v ?? '—' },
    {
      title: t('org.parent'),
      dataIndex: 'parentId',
      key: 'parent',
      width: 180,
      render: (id: string | null) => (id ? (names.get(id) ?? '—') : '—'),
    },
    {
      title: t('org.members'),
      dataIndex: 'memberIds',
      key: 'members',
      width: 220,
      render: (ids: string[]) => (ids.length ? ids.map((id) => names.get(id) ?? id).join('、') : '—'),
    },
    ...(isAdmin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, org: Organisation) => (
              <Space size="small" wrap>
                {canDeclare(org) && (
                  <Popconfirm
                    title={t('orgTree.declareCityConfirm', { name: org.name })}
                    okText={t('orgTree.declareCity')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => onDeclare(org)}
                  >
                    <Button size="small" aria-label={`${t('orgTree.declareCity')} ${org.name}`}>
                      {t('orgTree.declareCity')}
                    </Button>
                  </Popconfirm>
                )}
                <Button
                  size="small"
                  onClick={() => setModal({ open: true, organisation: org })}
                  aria-label={`${t('common.edit')} ${org.name}`}
                >
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('common.confirmDelete', { name: org.name })}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => onDelete(org)}
                >
                  <Button size="small" danger aria-label={`${t('common.delete')} ${org.name}`}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('org.title')}
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setModal({ open: true })}>
            {t('org.create')}
          </Button>
        )}
      </Flex>
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('org.search')}
            placeholder={t('org.search')}
            allowClear
            enterButton={t('common.search')}
            onSearch={(value) => setQ(value.trim() || undefined)}
            style={{ width: 300, maxWidth: '100%' }}
          />
          <Select
            aria-label={t('org.filterKind')}
            placeholder={t('org.filterKindPlaceholder')}
            allowClear
            value={kind}
            onChange={(value?: OrgKind) => setKind(value)}
            options={ORG_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
            style={{ width: 180 }}
          />
          <Segmented<'list' | 'tree' | 'jurisdictions'>
            aria-label={t('orgTree.view')}
            value={view}
            onChange={setView}
            options={[
              { value: 'list', label: t('orgTree.list') },
              { value: 'tree', label: t('orgTree.tree') },
              { value: 'jurisdictions', label: t('orgTree.jurisdictions') },
            ]}
          />
        </Flex>
        {myTenant && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            {t('orgTree.whose', { name: myTenant.name })}
          </Typography.Paragraph>
        )}
        {view === 'jurisdictions' ? (
          tenants.isError ? (
            <ErrorResult error={tenants.error} onRetry={() => tenants.refetch()} />
          ) : jurisdictions.length === 0 ? (
            <Typography.Paragraph>{t('orgTree.noTenants')}</Typography.Paragraph>
          ) : (
            <Tree<JurisdictionNode>
              aria-label={t('orgTree.jurisdictionsLabel')}
              treeData={jurisdictions}
              fieldNames={{ key: 'key', title: 'name', children: 'children' }}
              defaultExpandAll
              selectable={false}
              titleRender={(n) => (
                <Space size="small">
                  <span>{n.name}</span>
                  {n.level === 'province' && <Tag color="volcano">{t('orgTree.levelProvince')}</Tag>}
                  {n.level === 'city' && <Tag color="purple">{t('orgTree.levelCity')}</Tag>}
                </Space>
              )}
            />
          )
        ) : list.isError ? (
          <ErrorResult error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <Table<OrganisationNode>
            key={view}
            rowKey="id"
            size="middle"
            aria-label={t('org.tableLabel')}
            columns={columns}
            dataSource={rows}
            expandable={
              view !== 'list'
                ? {
                    // Everything open unless folded: the tree is there to be read.
                    expandedRowKeys: parentIds.filter((id) => !folded.has(id)),
                    onExpand: (open, org) =>
                      setFolded((prev) => {
                        const next = new Set(prev);
                        if (open) next.delete(org.id);
                        else next.add(org.id);
                        return next;
                      }),
                  }
                : undefined
            }
            loading={list.isFetching}
            scroll={{ x: 900 }}
            pagination={{ defaultPageSize: 50, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
          />
        )}
      </Card>
      {isAdmin && modal.open && (
        <OrganisationFormModal
          key={modal.organisation?.id ?? 'new'}
          open
          organisation={modal.organisation}
          organisations={everyone.data?.items ?? []}
          onClose={() => setModal({ open: false })}
        />
      )}
    </>
  );
}
