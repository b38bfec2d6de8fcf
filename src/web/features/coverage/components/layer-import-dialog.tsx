import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { DATUMS, type Datum, type LayerImportProblem, type LayerRole } from '../../../../shared/schemas/coverage.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type LayerImportResult, useImportLayer } from '../api/coverage.api.ts';
import { CALENDAR_DATE_PATTERN } from '../../../../shared/schemas/common.schema.ts';

/** A real calendar day (the server's CalendarDate rule: no 02-30). */
const CALENDAR_DATE = new RegExp(CALENDAR_DATE_PATTERN);

const FACILITY_KINDS = ['公厕', '公交站点', '小学', '初中', '公园', '游园', '健身设施', '直饮水点'];
const DEMAND_KINDS = ['居住人口', '人口网格'];

interface Values {
  name: string;
  role: LayerRole;
  kind: string;
  datum: Datum;
  asOf?: string;
}

/**
 * 导入图层: a GeoJSON, CSV (lng/lat columns) or xlsx file in a declared datum. 检查 runs the dry run
 * and lists every problem by row and column; 导入 is offered only once the check found none, and
 * the server saves nothing unless every row passes anyway.
 */
export function LayerImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<LayerImportResult | null>(null);
  const importLayer = useImportLayer();
  const role = Form.useWatch('role', form) ?? 'facility';

  const run = async (dryRun: boolean) => {
    const values = await form.validateFields();
    if (!file) {
      message.warning(t('coverage.import.chooseFile'));
      return;
    }
    importLayer.mutate(
      { file, dryRun, ...values, asOf: values.asOf?.trim() || undefined },
      {
        onSuccess: (res) => {
          if (res.dryRun) setCheck(res);
          else {
            message.success(t('coverage.import.saved', { count: res.featureCount }));
            onClose();
          }
        },
        onError: (error) => message.error(describeError(error, t)),
      },
    );
  };

  const columns: TableColumnsType<LayerImportProblem> = [
    { title: t('coverage.import.row'), dataIndex: 'row', width: 80 },
    { title: t('coverage.import.column'), dataIndex: 'column', width: 180 },
    { title: t('coverage.import.problem'), dataIndex: 'message' },
  ];
  const clean = check !== null && check.problemCount === 0;

  return (
    <Modal
      open
      width={760}
      title={t('coverage.import.title')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('coverage.cancel')}</Button>
          <Button onClick={() => run(true)} loading={importLayer.isPending && importLayer.variables?.dryRun}>
            {t('coverage.import.check')}
          </Button>
          <Button
            type="primary"
            disabled={!clean}
            onClick={() => run(false)}
            loading={importLayer.isPending && !importLayer.variables?.dryRun}
          >
            {t('coverage.import.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('coverage.import.help')}</Typography.Paragraph>
      <Form
        form={form}
        name="coverage-import"
        layout="vertical"
        initialValues={{ role: 'facility', datum: 'WGS84' }}
        onValuesChange={() => setCheck(null)}
      >
        <Form.Item
          name="name"
          label={t('coverage.layer.name')}
          rules={[{ required: true, whitespace: true, message: t('coverage.import.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="role" label={t('coverage.layer.role')}>
            <Radio.Group
              options={[
                { value: 'facility', label: t('coverage.role.facility') },
                { value: 'demand', label: t('coverage.role.demand') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t('coverage.layer.kind')}
            rules={[{ required: true, whitespace: true, message: t('coverage.import.kindRequired') }]}
          >
            <AutoComplete style={{ width: 180 }} options={(role === 'demand' ? DEMAND_KINDS : FACILITY_KINDS).map((k) => ({ value: k }))} />
          </Form.Item>
          <Form.Item name="datum" label={t('coverage.layer.datum')}>
            <Select style={{ width: 220 }} options={DATUMS.map((d) => ({ value: d, label: t(`coverage.datum.${d}`) }))} />
          </Form.Item>
          <Form.Item
            name="asOf"
            label={t('coverage.layer.asOf')}
            rules={[{ pattern: CALENDAR_DATE, message: t('coverage.import.asOfFormat') }]}
          >
            <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} />
          </Form.Item>
        </Space>
      </Form>
      <Upload
        accept=".csv,.geojson,.json,.xlsx"
        maxCount={1}
        beforeUpload={(f) => {
          setFile(f);
          setCheck(null);
          return false;
        }}
        onRemove={() => {
          setFile(null);
          setCheck(null);
        }}
      >
        <Button>{t('coverage.import.chooseFile')}</Button>
      </Upload>
      {check && (
        <div style={{ marginTop: 16 }}>
          {clean ? (
            <Alert type="success" showIcon message={t('coverage.import.clean', { count: check.featureCount })} />
          ) : (
            <>
              <Alert
                type="error"
                showIcon
                message={t('coverage.import.problems', { problems: check.problemCount, valid: check.featureCount })}
              />
              <Table
                rowKey={(p) => `${p.row}/${p.column}/${p.message}`}
                size="small"
                columns={columns}
                dataSource={check.problems}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                style={{ marginTop: 8 }}
              />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
