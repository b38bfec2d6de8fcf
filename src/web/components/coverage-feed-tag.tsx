import { Tag, Tooltip } from 'antd';
import { Link } from 'react-router';
import { useCoverageFeeds } from '../lib/api/coverage-feeds.api.ts';
import { formatDateTime, useI18n } from '../lib/i18n.ts';

/**
 * A plan target's value derived from coverage (服务半径覆盖率), with the method it was measured by;
 * nothing when the target is not fed by a coverage indicator. Links to the analysis.
 */
export function CoverageFeedTag({ targetId }: { targetId: string }) {
  const { t, locale } = useI18n();
  const feeds = useCoverageFeeds();
  const feed = feeds.data?.get(targetId);
  if (!feed) return null;
  const value = feed.latest?.percent;
  const text =
    value === null || value === undefined
      ? t('coverage.feed.none')
      : t('coverage.feed.value', { percent: value.toFixed(1), method: t(`coverage.method.${feed.method}`) });
  const where = feed.district ?? t('coverage.result.all');
  const tip = feed.latest
    ? t('coverage.feed.tip', {
        standard: feed.standardName,
        where,
        at: formatDateTime(feed.latest.computedAt, locale),
        layer: feed.latest.facilityLayerName,
      })
    : feed.standardName;
  return (
    <Tooltip title={tip}>
      <Tag color="geekblue" className="coverage-feed-tag" style={{ marginInlineStart: 6 }}>
        <Link to={feed.latest ? `/coverage?analysis=${feed.latest.analysisId}` : '/coverage'}>{text}</Link>
      </Tag>
    </Tooltip>
  );
}
