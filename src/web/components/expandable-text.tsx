import { Button } from 'antd';
import { useId, useState } from 'react';
import { useI18n } from '../lib/i18n.ts';

/** Long plan text, cut to `limit` characters with a real button to show the rest (keyboard and screen readers). */
export function ExpandableText({ text, limit = 90 }: { text: string; limit?: number }) {
  const { t } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  if (text.length <= limit) return <span className="expandable-text">{text}</span>;
  return (
    <span className="expandable-text">
      <span id={id}>{expanded ? text : `${text.slice(0, limit)}…`}</span>{' '}
      <Button
        type="link"
        size="small"
        className="expandable-toggle"
        aria-expanded={expanded}
        aria-controls={id}
        onClick={() => setExpanded((v) => !v)}
      >
        {expanded ? t('common.collapse') : t('common.expand')}
      </Button>
    </span>
  );
}
