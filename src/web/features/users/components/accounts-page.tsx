import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { UserRole } from '../../../../shared/enums.ts';
import type { User } from '../../../../shared/schemas/user.schema.ts';
import { RequireAdmin } from '../../../app/require-session.tsx';
import { ErrorResult } from '../../../components/error-result.tsx';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { useUsers } from '../api/users.api.ts';
import { ResetPasswordModal, UserFormModal } from './user-form-modal.tsx';

const ROLE_COLORS: Record<UserRole, string> = { admin: 'red', lead: 'blue', unit: 'green', leader: 'purple' };

export function AccountsPage() {
  return (
    <RequireAdmin>
      <Accounts />
    </RequireAdmin>
  );
}

function Accounts() {
  const { t, locale } = useI18n();
  const users = useUsers();
  const organisations = useOrganisations();
  const [editing, setEditing] = useState<{ open: boolean; user?: User }>({ open: false });
  const [resetting, setResetting] = useState<User>();
  const orgNames = useMemo(() => new Map((organisations.data?.items ?? []).map((o) => [o.id, o.name])), [organisations.data]);

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username', width: 140 },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName', width: 160 },
    { title: t('users.org'), dataIndex: 'orgId', key: 'org', render: (id: string) => orgNames.get(id) ?? '—' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      key: 'role',
      width: 120,
      render: (role: UserRole) => <Tag color={ROLE_COLORS[role]}>{t(`role.${role}`)}</Tag>,
    },
    {
      title: t('users.active'),
      dataIndex: 'isActive',
      key: 'isActive',
      width: 90,
      render: (active: boolean) => <Tag color={active ? 'green' : 'default'}>{active ? t('users.isActive') : t('users.inactive')}</Tag>,
    },
    {
      title: t('plans.colUpdated'),
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      width: 170,
      render: (v: string) => <time dateTime={v}>{formatDateTime(v, locale)}</time>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_: unknown, user) => (
        <Space size="small">
          <Button size="small" onClick={() => setEditing({ open: true, user })} aria-label={`${t('common.edit')} ${user.username}`}>
            {t('common.edit')}
          </Button>
          <Button size="small" onClick={() => setResetting(user)} aria-label={`${t('users.resetPassword')} ${user.username}`}>
            {t('users.resetPassword')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ open: true })}>
          {t('users.create')}
        </Button>
      </Flex>
      <Card>
        {users.isError ? (
          <ErrorResult error={users.error} onRetry={() => users.refetch()} />
        ) : (
          <Table<User>
            rowKey="id"
            size="middle"
            aria-label={t('users.tableLabel')}
            columns={columns}
            dataSource={users.data?.items ?? []}
            loading={users.isFetching}
            scroll={{ x: 960 }}
            pagination={{ defaultPageSize: 20, showTotal: (n) => t('common.total', { total: n }) }}
          />
        )}
      </Card>
      {editing.open && (
        <UserFormModal
          key={editing.user?.id ?? 'new'}
          open
          user={editing.user}
          organisations={organisations.data?.items ?? []}
          onClose={() => setEditing({ open: false })}
        />
      )}
      {resetting && <ResetPasswordModal key={resetting.id} user={resetting} onClose={() => setResetting(undefined)} />}
    </>
  );
}
