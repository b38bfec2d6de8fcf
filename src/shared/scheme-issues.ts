/**
 * The scheme (考核方案) rules' sentences, one table for server and web: the shared zod schema
 * (SchemeBody) raises each rule as a custom issue carrying its code and values, the server words the
 * problem's `message` in the caller's language from here, and the web's catalogues take their
 * `schemeRule.<code>` messages from here, so a rule reads the same in the form and in the API.
 */

interface SchemeIssueEntry {
  zh: string;
  en: string;
}

export const SCHEME_ISSUES = {
  duplicate_id: { zh: '编号重复：{id}', en: 'Duplicate id: {id}' },
  unknown_category: { zh: '没有这个类别：{id}', en: 'No such category: {id}' },
  step_required: { zh: '督办升级规则须指定级别', en: 'An escalation rule needs its rung' },
  max_required: { zh: '须指定最高分', en: 'Give the maximum points' },
  tier_min_required: { zh: '等次“{label}”须填最低分', en: 'Tier “{label}” needs a minimum score' },
  tier_min_order: {
    zh: '最低分须从高到低：“{label}”的 {min} 分应低于“{prev}”的 {prevMin} 分',
    en: 'Minimum scores must go down: “{label}” ({min}) must be below “{prev}” ({prevMin})',
  },
  tier_quota_required: {
    zh: '等次“{label}”须填名额：个数或比例，二选一',
    en: 'Tier “{label}” needs a quota: a count or a percentage, not both',
  },
  tier_last_open: {
    zh: '最后一个等次“{label}”接收其余单位，不填分数或名额',
    en: 'The last tier “{label}” takes the rest: leave its score and quota empty',
  },
  tier_share_sum: { zh: '各等次比例合计 {sum}%，不能超过 100%', en: 'The tiers’ percentages add up to {sum}%, more than 100%' },
  tier_count_sum: {
    zh: '各等次名额合计 {sum} 个，超过最大分组的 {max} 个单位',
    en: 'The tiers’ quotas add up to {sum}, more than the {max} units of the largest group',
  },
  group_empty: { zh: '分组“{label}”至少要有一个单位', en: 'Group “{label}” needs at least one unit' },
  group_overlap: {
    zh: '一个单位只能属于一个分组：已在分组“{other}”中',
    en: 'A unit belongs to one group only: it is already in “{other}”',
  },
  multiplier_target: {
    zh: '难度系数“{label}”须指定单位或分组，二选一',
    en: 'Coefficient “{label}” applies to units or to a group: choose one',
  },
  multiplier_unknown_group: { zh: '没有这个分组：{id}', en: 'No such group: {id}' },
  multiplier_not_assessed: {
    zh: '难度系数“{label}”的单位不在任何分组中',
    en: 'Coefficient “{label}” names a unit that is in no group',
  },
  multiplier_twice: {
    zh: '同一单位或分组只能有一个难度系数（“{label}”重复）',
    en: 'A unit or group has one coefficient only (“{label}” repeats one)',
  },
  year_end_sum: { zh: '年终权重合计须为 100%，现为 {sum}%', en: 'The year-end weights must add up to 100% (now {sum}%)' },
} as const satisfies Record<string, SchemeIssueEntry>;

export type SchemeIssueCode = keyof typeof SCHEME_ISSUES;
export type SchemeIssueValues = Record<string, string | number>;

/** True when `code` names a scheme rule of the table. */
export function isSchemeIssueCode(code: unknown): code is SchemeIssueCode {
  return typeof code === 'string' && Object.hasOwn(SCHEME_ISSUES, code);
}

/** The rule's sentence in `lang`, its `{name}` placeholders filled from `values`. */
export function schemeIssueMessage(code: SchemeIssueCode, values: SchemeIssueValues, lang: 'zh' | 'en'): string {
  return SCHEME_ISSUES[code][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The web catalogue entries `schemeRule.<code>` of one language. */
export function schemeIssueMessages(lang: 'zh' | 'en'): Record<`schemeRule.${SchemeIssueCode}`, string> {
  return Object.fromEntries(Object.entries(SCHEME_ISSUES).map(([code, entry]) => [`schemeRule.${code}`, entry[lang]])) as Record<
    `schemeRule.${SchemeIssueCode}`,
    string
  >;
}
