import type { ImportStatus } from '../../../shared/enums.ts';

/** The plan-imports module's table (import and revision drafts); merged into db/database.types.ts `Database`. */
export interface PlanImportsTables {
  plan_imports: PlanImportsTable;
}

export interface PlanImportsTable {
  id: string;
  status: ImportStatus;
  filename: string | null;
  title: string | null;
  text: string;
  extract_json: string;
  unresolved_json: string;
  plan_id: string | null;
  /** The existing plan a revision draft updates on confirm. */
  revises_plan_id: string | null;
  /** PlanRevisionDiff as JSON, for a revision draft. */
  diff_json: string | null;
  created_by: string | null;
  /** The tenant the draft belongs to (the importer's; the revised plan's): who sees and edits it. */
  owner_org_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
