import { Alert, App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { ORG_KINDS, type OrgKind } from '../../../../shared/enums.ts';
import type { Organisation } from '../../../../shared/schemas/organisation.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { fetchOrganisation, useSaveOrganisation } from '../../../lib/api/organisations.api.ts';

interface FormValues {
  name: string;
  kind: OrgKind;
  aliases: string[];
  adminCode?: string | null;
  parentId?: string | null;
  memberIds: string[];
}

function toFormValues(org: Organisation | undefined): FormValues {
  return {
    name: org?.name ?? '',
    kind: org?.kind ?? 'department',
    aliases: org?.aliases ?? [],
    adminCode: org?.adminCode ?? undefined,
    parentId: org?.parentId ?? undefined,
    memberIds: org?.memberIds ?? [],
  };
}

function looksLikeOrganisation(value: unknown): value is Organisation {
  return !!value && typeof value === 'object' && 'id' in value && 'version' in value && 'name' in value;
}

/**
 * Create or edit one organisation. Edits send the version they read; when someone else saved first
 * (409) the form reloads the row as it is now and says so, rather than overwriting their change.
 * The parent mounts it per opening, so form and mutation state start fresh every time.
 */
export function OrganisationFormModal({
  open,
  organisation,
  organisations,
  onClose,
}: {
  open: boolean;
  organisation?: Organisation;
  organisations: Organisation[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveOrganisation();
  const [editing, setEditing] = useState<Organisation | undefined>(organisation);
  const [conflict, setConflict] = useState(false);
  const kind = Form.useWatch('kind', form);

  const options = useMemo(
    () =>
      organisations
        .filter((o) => o.id !== editing?.id)
        .map((o) => ({ value: o.id, label: o.name }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    [organisations, editing?.id],
  );

  const onFinish = (values: FormValues) => {
    const body = {
      name: values.name.trim(),
      kind: values.kind,
      aliases: values.aliases.map((a) => a.trim()).filter(Boolean),
      adminCode: values.adminCode?.trim() || null,
      parentId: values.parentId ?? null,
      memberIds: values.kind === 'group' ? values.memberIds : [],
    };
    save.mutate(
      { id: editing?.id, body: editing ? { ...body, version: editing.version } : body },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
          onClose();
        },
        onError: async (error) => {
          if (!(isApiError(error) && error.isVersionConflict && editing)) return;
          setConflict(true);
          const current = looksLikeOrganisation(error.current) ? error.current : await fetchOrganisation(editing.id).catch(() => undefined);
          if (current) {
            setEditing(current);
            form.setFieldsValue(toFormValues(current));
          }
        },
      },
    );
  };

  const saveError = save.isError && !conflict ? describeError(save.error, t) : null;

  return (
    <Modal
      open={open}
      title={editing ? t('org.edit') : t('org.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={560}
    >
      {conflict && <Alert type="warning" showIcon role="alert" title={t('org.conflict')} style={{ marginBottom: 16 }} />}
      {saveError && <Alert type="error" showIcon role="alert" title={saveError} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} name="organisation" initialValues={toFormValues(organisation)}>
        <Form.Item
          label={t('org.name')}
          name="name"
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('org.name') }) }, { max: 200 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item label={t('org.kind')} name="kind" rules={[{ required: true }]}>
          <Select options={ORG_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
        </Form.Item>
        <Form.Item label={t('org.aliases')} name="aliases" extra={t('org.aliasesHelp')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item label={t('org.adminCode')} name="adminCode" rules={[{ pattern: /^\d{6,12}$/, message: t('org.adminCodeInvalid') }]}>
          <Input inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item label={t('org.parent')} name="parentId">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        {kind === 'group' && (
          <Form.Item label={t('org.members')} name="memberIds">
            <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={options} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
