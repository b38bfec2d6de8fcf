import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateAmendmentBody,
  JurisdictionLabel,
  JurisdictionLabelList,
  PeriodSnapshot,
  PutJurisdictionLabelBody,
  PutReportingScheduleBody,
  ReportingSchedule,
} from '../../../../shared/schemas/reporting.schema.ts';
import { api } from '../../../lib/api-client.ts';
import { reportingKeys } from './reporting.api.ts';

export { usePeriodSnapshots } from './reporting.api.ts';

/** Under `reporting`, so whatever invalidates the reporting cache refreshes the schedule too. */
export const periodsKeys = {
  schedule: (planId: string) => [...reportingKeys.all, 'schedule', planId] as const,
};

const enc = encodeURIComponent;

/** The plan's reporting schedule; the defaults (isStored false, version 0) when none is saved. */
export function useReportingSchedule(planId: string | undefined) {
  return useQuery({
    queryKey: periodsKeys.schedule(planId ?? ''),
    queryFn: ({ signal }) => api.get<ReportingSchedule>(`/plans/${enc(planId ?? '')}/reporting-schedule`, undefined, signal),
    enabled: Boolean(planId),
  });
}

/**
 * PUT the schedule. The body carries `version` when changing a stored one and none when creating it.
 * Saving opens the period containing today on the server, so the plan's periods are refetched.
 */
export function useSaveSchedule(planId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutReportingScheduleBody) => api.put<ReportingSchedule>(`/plans/${enc(planId)}/reporting-schedule`, body),
    onSuccess: (schedule) => {
      queryClient.setQueryData(periodsKeys.schedule(planId), schedule);
      // Not awaited: the new version remounts the form (its key), and a caller's mutate() callbacks
      // only run if they are reached before that — awaiting the refetch here skipped "已保存".
      void queryClient.invalidateQueries({ queryKey: reportingKeys.periods(planId) });
    },
  });
}

/**
 * Record an amendment beside a frozen snapshot row. The answer (the row with its amendments and
 * new effective values) replaces the row in the period's cached snapshot, which is never refetched.
 */
export function useAmendSnapshot(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ snapshotId, body }: { snapshotId: string; body: CreateAmendmentBody }) =>
      api.post<PeriodSnapshot>(`/snapshots/${enc(snapshotId)}/amendments`, body),
    onSuccess: (row) =>
      queryClient.setQueryData<{ items: PeriodSnapshot[] }>(reportingKeys.snapshots(periodId), (old) =>
        old ? { ...old, items: old.items.map((s) => (s.id === row.id ? row : s)) } : old,
      ),
  });
}

/** The jurisdiction labels of a plan's targets: which organisations report each (target-reporters rule). */
export function useJurisdictionLabels(planId: string | undefined) {
  return useQuery({
    queryKey: [...reportingKeys.all, 'jurisdiction-labels', planId ?? ''] as const,
    queryFn: ({ signal }) => api.get<JurisdictionLabelList>(`/plans/${enc(planId ?? '')}/jurisdiction-labels`, undefined, signal),
    enabled: Boolean(planId),
  });
}

/** The office resolves a label to organisations ([] removes the resolution); every reporting list is refetched. */
export function useResolveJurisdictionLabel(planId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutJurisdictionLabelBody) => api.put<JurisdictionLabel>(`/plans/${enc(planId)}/jurisdiction-labels`, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: reportingKeys.all }),
  });
}
