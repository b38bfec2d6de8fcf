import { Alert, App as AntApp, Form, Input, Modal, Select, Switch } from 'antd';
import { USER_ROLES, type UserRole } from '../../../../shared/enums.ts';
import type { Organisation } from '../../../../shared/schemas/organisation.schema.ts';
import type { User } from '../../../../shared/schemas/user.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCreateUser, useUpdateUser } from '../api/users.api.ts';

interface FormValues {
  username: string;
  displayName: string;
  orgId: string;
  role: UserRole;
  password?: string;
  isActive: boolean;
}

const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;

/**
 * Create an account (with its first password), or change one's name, organisation, role and status.
 * The parent mounts it per opening, so form and mutation state start fresh every time.
 */
export function UserFormModal({
  open,
  user,
  organisations,
  onClose,
}: {
  open: boolean;
  user?: User;
  organisations: Organisation[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;

  const initialValues: Partial<FormValues> = user
    ? { username: user.username, displayName: user.displayName, orgId: user.orgId, role: user.role, isActive: user.isActive }
    : { role: 'unit', isActive: true };

  const onFinish = (values: FormValues) => {
    const done = {
      onSuccess: () => {
        message.success(t('common.saved'));
        onClose();
      },
    };
    if (user) {
      update.mutate(
        {
          id: user.id,
          body: {
            version: user.version,
            displayName: values.displayName.trim(),
            orgId: values.orgId,
            role: values.role,
            isActive: values.isActive,
          },
        },
        done,
      );
    } else {
      create.mutate(
        {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          orgId: values.orgId,
          role: values.role,
          password: values.password ?? '',
        },
        done,
      );
    }
  };

  const error = mutation.isError
    ? isApiError(mutation.error) && mutation.error.isVersionConflict
      ? t('users.conflict')
      : describeError(mutation.error, t)
    : null;

  return (
    <Modal
      open={open}
      title={user ? t('users.edit') : t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} name="user" initialValues={initialValues}>
        <Form.Item
          label={t('users.username')}
          name="username"
          rules={[
            { required: true, message: t('common.required', { field: t('users.username') }) },
            { pattern: USERNAME_PATTERN, message: t('users.usernameRule') },
          ]}
          extra={user ? undefined : t('users.usernameRule')}
        >
          <Input disabled={!!user} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('users.displayName')}
          name="displayName"
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('users.displayName') }) }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          label={t('users.org')}
          name="orgId"
          rules={[{ required: true, message: t('common.required', { field: t('users.org') }) }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('users.orgPlaceholder')}
            options={organisations.map((o) => ({ value: o.id, label: o.name })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))}
          />
        </Form.Item>
        <Form.Item label={t('users.role')} name="role" rules={[{ required: true }]}>
          <Select options={USER_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {user ? (
          <Form.Item label={t('users.isActive')} name="isActive" valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : (
          <Form.Item
            label={t('users.password')}
            name="password"
            rules={[
              { required: true, message: t('common.required', { field: t('users.password') }) },
              { min: 10, message: t('users.passwordRule') },
            ]}
            extra={t('users.passwordRule')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Admin reset of someone's password: sends only the new password and the version read. */
export function ResetPasswordModal({ user, onClose }: { user?: User; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const update = useUpdateUser();

  const error = update.isError
    ? isApiError(update.error) && update.error.isVersionConflict
      ? t('users.conflict')
      : describeError(update.error, t)
    : null;

  return (
    <Modal
      open={!!user}
      title={user ? t('users.resetPasswordFor', { name: user.displayName }) : t('users.resetPassword')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
    >
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        name="reset-password"
        onFinish={({ password }) =>
          user &&
          update.mutate(
            { id: user.id, body: { version: user.version, password } },
            {
              onSuccess: () => {
                message.success(t('users.passwordReset'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          label={t('users.newPassword')}
          name="password"
          rules={[
            { required: true, message: t('common.required', { field: t('users.newPassword') }) },
            { min: 10, message: t('users.passwordRule') },
          ]}
          extra={t('users.passwordRule')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
