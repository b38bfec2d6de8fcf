import { Alert } from 'antd';
import type { SchemeFieldIssue } from '../../../../shared/schemas/assessment.schema.ts';
import { describeFieldIssue } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';

/** The issues at or under `prefix` (a dotted path: `tiers`, `groups.1`). */
export function issuesUnder(errors: SchemeFieldIssue[], prefix: string): SchemeFieldIssue[] {
  return errors.filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`));
}

/** antd's `status` for a field: `error` when an issue names exactly that path. */
export function fieldStatus(errors: SchemeFieldIssue[], path: string): 'error' | undefined {
  return errors.some((e) => e.path === path) ? 'error' : undefined;
}

/**
 * A section's issues under its table, each in the UI language (a scheme rule by its shared
 * sentence, a zod bound by the field's words), so the office sees what to fix where it types.
 */
export function SchemeIssueList({ errors, prefix }: { errors: SchemeFieldIssue[]; prefix: string }) {
  const { t } = useI18n();
  const mine = issuesUnder(errors, prefix);
  if (mine.length === 0) return null;
  const lines = [...new Set(mine.map((e) => describeFieldIssue(e, t)))];
  return (
    <Alert
      className="scheme-issues"
      type="error"
      showIcon
      title={
        lines.length === 1 ? (
          lines[0]
        ) : (
          <ul>
            {lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
