import { Alert, App as AntApp, Button, Card, DatePicker, Form, InputNumber, Radio, Skeleton, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  type PutReportingScheduleBody,
  REPORTING_FREQUENCIES,
  type ReportingFrequency,
  type ReportingSchedule,
} from '../../../../shared/schemas/reporting.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, useI18n } from '../../../lib/i18n.ts';
import { useReportingSchedule, useSaveSchedule } from '../api/periods.api.ts';

interface Values {
  frequency: ReportingFrequency;
  dueDay: number | null;
  graceDays: number | null;
  closeAfterDays: number | null;
  startDate: Dayjs | null;
}

const MONTHS: Record<ReportingFrequency, number> = { monthly: 1, quarterly: 3, half_yearly: 6 };

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => {
  const d = utc(s);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
};

/**
 * The dates of the period containing `day` under a schedule, with the server's arithmetic
 * (period-calendar.rule.ts): due on `dueDay` of the month after it ends, on time until due + grace,
 * closed by the job grace + closeAfterDays after the due date.
 */
export function scheduleExample(
  s: { frequency: ReportingFrequency; dueDay: number; graceDays: number; closeAfterDays: number },
  day: string,
): { start: string; end: string; due: string; onTime: string; close: string } {
  const d = utc(day);
  const span = MONTHS[s.frequency];
  const first = Math.floor(d.getUTCMonth() / span) * span;
  const start = iso(new Date(Date.UTC(d.getUTCFullYear(), first, 1)));
  const endDate = new Date(Date.UTC(d.getUTCFullYear(), first + span, 0));
  const due = iso(new Date(Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, s.dueDay)));
  const onTime = addDays(due, s.graceDays);
  return { start, end: iso(endDate), due, onTime, close: addDays(onTime, s.closeAfterDays) };
}

/**
 * 填报安排 of a plan: frequency, due day, grace, automatic close, first period. Says when what is
 * shown are only the defaults (nothing stored: the job does nothing for the plan until it is saved).
 * Updates send the version read; a 409 reloads the stored schedule into the form.
 */
export function ScheduleForm({ planId, referenceDate }: { planId: string; referenceDate?: string }) {
  const { t } = useI18n();
  const schedule = useReportingSchedule(planId);

  return (
    <Card
      size="small"
      className="schedule-form"
      style={{ marginBottom: 16 }}
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('periods.schedule.title')}</h2>}
      extra={
        schedule.data &&
        (schedule.data.isStored ? (
          <Tag color="green">{t('periods.schedule.stored')}</Tag>
        ) : (
          <Tag color="orange">{t('periods.schedule.notStored')}</Tag>
        ))
      }
    >
      {schedule.isError ? (
        <Alert type="error" showIcon title={t('periods.schedule.loadFailed', { error: describeError(schedule.error, t) })} />
      ) : schedule.isPending ? (
        <Skeleton active title={false} paragraph={{ rows: 3 }} />
      ) : (
        <ScheduleFormBody
          // A new version (saved here or reloaded after a conflict) starts the form afresh.
          key={`${schedule.data.planId}:${schedule.data.version}`}
          planId={planId}
          schedule={schedule.data}
          referenceDate={referenceDate}
          onConflict={() => void schedule.refetch()}
        />
      )}
    </Card>
  );
}

function ScheduleFormBody({
  planId,
  schedule,
  referenceDate,
  onConflict,
}: {
  planId: string;
  schedule: ReportingSchedule;
  referenceDate?: string;
  onConflict: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveSchedule(planId);
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;

  const initialValues: Values = {
    frequency: schedule.frequency,
    dueDay: schedule.dueDay,
    graceDays: schedule.graceDays,
    closeAfterDays: schedule.closeAfterDays,
    startDate: schedule.startDate ? dayjs(schedule.startDate) : null,
  };

  const onFinish = (values: Values) => {
    const body: PutReportingScheduleBody = {
      // Creating sends no version; changing sends the one read.
      ...(schedule.isStored ? { version: schedule.version } : {}),
      frequency: values.frequency,
      dueDay: values.dueDay ?? 5,
      graceDays: values.graceDays ?? 0,
      closeAfterDays: values.closeAfterDays ?? 0,
      startDate: values.startDate ? values.startDate.format('YYYY-MM-DD') : null,
    };
    save.mutate(body, {
      onSuccess: () => message.success(t('periods.schedule.saved')),
      onError: (error) => {
        if (isApiError(error) && error.status === 409) {
          message.warning(t('periods.schedule.conflict'));
          onConflict();
        } else message.error(describeError(error, t));
      },
    });
  };

  const v = { ...initialValues, ...watched };
  const ready = v.frequency && v.dueDay != null && v.graceDays != null && v.closeAfterDays != null;
  const startDay = v.startDate ? v.startDate.format('YYYY-MM-DD') : null;
  const base = referenceDate ?? dayjs().format('YYYY-MM-DD');
  const example = ready
    ? scheduleExample(
        {
          frequency: v.frequency,
          dueDay: v.dueDay as number,
          graceDays: v.graceDays as number,
          closeAfterDays: v.closeAfterDays as number,
        },
        startDay && startDay > base ? startDay : base,
      )
    : null;

  const range = (min: number, max: number) => ({
    type: 'integer' as const,
    min,
    max,
    message: t('periods.schedule.dayRange', { min, max }),
  });
  const required = (field: string) => ({ required: true, message: t('periods.schedule.required', { field }) });

  return (
    <>
      {!schedule.isStored && <Alert type="warning" showIcon title={t('periods.schedule.defaults')} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('periods.schedule.job')}
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" name="schedule" initialValues={initialValues} onFinish={onFinish} requiredMark={false}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(190px, 1fr))', columnGap: 16 }}>
          <Form.Item label={t('periods.schedule.frequency')} name="frequency" rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              aria-label={t('periods.schedule.frequency')}
              options={REPORTING_FREQUENCIES.map((f) => ({ value: f, label: t(`periods.frequency.${f}`) }))}
            />
          </Form.Item>
          <Form.Item
            label={t('periods.schedule.dueDay')}
            name="dueDay"
            rules={[required(t('periods.schedule.dueDay')), range(1, 28)]}
            extra={t('periods.schedule.dueDayHelp')}
          >
            <InputNumber
              min={1}
              max={28}
              precision={0}
              prefix={t('periods.schedule.dueDayPrefix')}
              suffix={t('periods.schedule.dueDaySuffix') || undefined}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            label={t('periods.schedule.graceDays')}
            name="graceDays"
            rules={[required(t('periods.schedule.graceDays')), range(0, 60)]}
            extra={t('periods.schedule.graceDaysHelp')}
          >
            <InputNumber min={0} max={60} precision={0} suffix={t('periods.schedule.days')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label={t('periods.schedule.closeAfterDays')}
            name="closeAfterDays"
            rules={[required(t('periods.schedule.closeAfterDays')), range(0, 120)]}
            extra={t('periods.schedule.closeAfterHelp')}
          >
            <InputNumber
              min={0}
              max={120}
              precision={0}
              prefix={t('periods.schedule.closeAfterPrefix')}
              suffix={t('periods.schedule.closeAfterSuffix')}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item label={t('periods.schedule.startDate')} name="startDate" extra={t('periods.schedule.startDateHelp')}>
            <DatePicker allowClear placeholder={t('periods.schedule.startDatePlaceholder')} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
          <Typography.Text aria-live="polite">
            {example &&
              t('periods.schedule.example', {
                start: formatDate(example.start, locale),
                end: formatDate(example.end, locale),
                due: formatDate(example.due, locale),
                onTime: formatDate(example.onTime, locale),
                close: formatDate(example.close, locale),
              })}
          </Typography.Text>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {schedule.isStored ? t('periods.schedule.save') : t('periods.schedule.create')}
          </Button>
        </div>
      </Form>
    </>
  );
}
