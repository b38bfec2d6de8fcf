import { Button, Empty, Tag } from 'antd';
import { useMemo } from 'react';
import type { PlanRevisionDiff } from '../../../../shared/schemas/plan-import.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { diffText } from '../text-diff.ts';

/** Before → after of one clause, inline: deletions struck through, insertions underlined. */
export function InlineDiff({ before, after }: { before: string; after: string }) {
  const { t } = useI18n();
  const parts = useMemo(() => diffText(before, after), [before, after]);
  return (
    <p className="inline-diff">
      {parts.map((part, i) =>
        part.kind === 'equal' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional and never reorder.
          <span key={i}>{part.text}</span>
        ) : part.kind === 'delete' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <del key={i} className="diff-del" title={t('imports.diff.deleted')}>
            {part.text}
          </del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <ins key={i} className="diff-ins" title={t('imports.diff.inserted')}>
            {part.text}
          </ins>
        ),
      )}
    </p>
  );
}

export interface RevisionDiffProps {
  diff: PlanRevisionDiff;
  onShowTask: (taskIndex: number) => void;
}

/** The 变更 panel of a revised plan: what the revision adds, removes and rewords, and what it keeps. */
export function RevisionDiffPanel({ diff, onShowTask }: RevisionDiffProps) {
  const { t } = useI18n();
  const edited = [...diff.edited].sort((a, b) => a.taskIndex - b.taskIndex);
  const added = [...diff.added].sort((a, b) => a.taskIndex - b.taskIndex);
  const removed = [...diff.removed].sort((a, b) => a.seq - b.seq);
  const hasChanges = edited.length + added.length + removed.length > 0;
  return (
    <div className="revision-diff">
      <ul className="diff-summary" aria-label={t('imports.diff.summaryLabel')}>
        <li>
          <Tag color="green">{t('imports.diff.added', { count: added.length })}</Tag>
        </li>
        <li>
          <Tag color="red">{t('imports.diff.removed', { count: removed.length })}</Tag>
        </li>
        <li>
          <Tag color="orange">{t('imports.diff.edited', { count: edited.length })}</Tag>
        </li>
        <li className="diff-unchanged">{t('imports.diff.unchanged', { count: diff.unchanged.length })}</li>
      </ul>
      {!hasChanges && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.diff.none')} />}
      {edited.length > 0 && (
        <section aria-labelledby="diff-edited">
          <h2 id="diff-edited" className="diff-heading">
            {t('imports.diff.editedHeading')}
          </h2>
          <ol className="diff-list">
            {edited.map((e) => (
              <li key={e.taskId} className="diff-item diff-item-edited">
                <div className="diff-item-head">
                  <Button type="link" size="small" onClick={() => onShowTask(e.taskIndex)}>
                    {t('imports.diff.task', { n: e.taskIndex + 1 })}
                  </Button>
                  <span className="diff-similarity">{t('imports.diff.similarity', { value: Math.round(e.similarity * 100) })}</span>
                </div>
                <InlineDiff before={e.before} after={e.after} />
              </li>
            ))}
          </ol>
        </section>
      )}
      {added.length > 0 && (
        <section aria-labelledby="diff-added">
          <h2 id="diff-added" className="diff-heading">
            {t('imports.diff.addedHeading')}
          </h2>
          <ol className="diff-list">
            {added.map((a) => (
              <li key={a.taskIndex} className="diff-item diff-item-added">
                <div className="diff-item-head">
                  <Button type="link" size="small" onClick={() => onShowTask(a.taskIndex)}>
                    {t('imports.diff.task', { n: a.taskIndex + 1 })}
                  </Button>
                </div>
                <p className="diff-text">
                  <ins className="diff-ins">{a.text}</ins>
                </p>
              </li>
            ))}
          </ol>
        </section>
      )}
      {removed.length > 0 && (
        <section aria-labelledby="diff-removed">
          <h2 id="diff-removed" className="diff-heading">
            {t('imports.diff.removedHeading')}
          </h2>
          <ol className="diff-list">
            {removed.map((r) => (
              <li key={r.taskId} className="diff-item diff-item-removed">
                <div className="diff-item-head">
                  <span>{t('imports.diff.removedSeq', { seq: r.seq })}</span>
                </div>
                <p className="diff-text">
                  <del className="diff-del">{r.text}</del>
                </p>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
