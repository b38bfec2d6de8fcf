import type { JurisdictionLevel } from '../../shared/enums.ts';
import type { Translate, TranslateParams } from './i18n.ts';

/**
 * The words a plan's jurisdictions go by (各县区 / 各市 / 各部门), as `{all}` and `{one}`
 * placeholders for messages that name them: "{all}推进情况" is 各县区推进情况 for a city plan and
 * 各市推进情况 for a provincial one. A plan not yet loaded words itself as a county plan, the default.
 */
export function jurisdictionWords(level: JurisdictionLevel | null | undefined, t: Translate): TranslateParams {
  const l = level ?? 'county';
  return { all: t(`jurisdiction.all.${l}`), one: t(`jurisdiction.one.${l}`) };
}
