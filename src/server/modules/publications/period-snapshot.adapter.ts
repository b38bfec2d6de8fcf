/**
 * How a period's frozen snapshot is read for publishing: the one function to adapt when the
 * reporting module changes the snapshot's shape (one row per target × reporting organisation is
 * coming). Reads through the reporting module's service, never its repository or live rows, and
 * keeps only what the public allow-list may use: statuses, progress and approved values.
 */
import { listSnapshots } from '../reporting/period-close.service.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { DeliveryStatus } from '../../../shared/enums.ts';

/** One frozen line of a period as the portal reads it (amendments applied). */
export interface SnapshotLine {
  taskId: string;
  /** null: the task's own row. */
  targetId: string | null;
  status: DeliveryStatus;
  progress: number | null;
  /** Only when the frozen report was approved. */
  reportedValue: number | null;
}

/** The frozen lines of a closed period, one per task row and one per target row. */
export async function readPeriodSnapshot(db: DbOrTrx, periodId: string): Promise<SnapshotLine[]> {
  const { items } = await listSnapshots(db, periodId);
  return items.map((s) => ({
    taskId: s.taskId,
    targetId: s.targetId,
    status: s.effective.computedStatus,
    progress: s.progress,
    reportedValue: s.reportStatus === 'approved' ? s.effective.reportedValue : null,
  }));
}
