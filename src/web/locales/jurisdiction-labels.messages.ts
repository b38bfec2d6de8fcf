/**
 * Words of the 填报单位口径 card on the periods screen (which organisations report a target whose
 * jurisdiction label names places), both languages side by side. Keys start with `jurisdictionLabels.`.
 */
export const jurisdictionLabelsZhCN = {
  'jurisdictionLabels.title': '指标填报单位',
  'jurisdictionLabels.help':
    '指标写明了辖区（如“淇县”“市城区、浚县”）时，只由这些单位填报；写的是名录里没有的地名（如“全市”）时，由任务的责任单位填报。名录识别不了的地名，可在这里指定由哪些单位填报。',
  'jurisdictionLabels.col.label': '辖区写法',
  'jurisdictionLabels.col.targets': '指标数',
  'jurisdictionLabels.col.reporters': '填报单位',
  'jurisdictionLabels.col.resolution': '指定单位',
  'jurisdictionLabels.byResponsible': '任务的责任单位',
  'jurisdictionLabels.unresolved': '未识别：{parts}',
  'jurisdictionLabels.office': '已指定',
  'jurisdictionLabels.pick': '选择单位',
  'jurisdictionLabels.pickLabel': '“{label}”由哪些单位填报',
  'jurisdictionLabels.save': '保存',
  'jurisdictionLabels.saved': '已保存，各单位的填报清单已更新',
  'jurisdictionLabels.empty': '该计划的指标未写明辖区',
} as const;

export const jurisdictionLabelsEn: Record<keyof typeof jurisdictionLabelsZhCN, string> = {
  'jurisdictionLabels.title': 'Who reports each target',
  'jurisdictionLabels.help':
    'A target that names its jurisdictions (“淇县”, “市城区、浚县”) is reported by those organisations only; one that names a place not in the registry (“全市”) by the task’s responsible units. Say here which organisations a place the registry does not know stands for.',
  'jurisdictionLabels.col.label': 'Jurisdiction as written',
  'jurisdictionLabels.col.targets': 'Targets',
  'jurisdictionLabels.col.reporters': 'Reported by',
  'jurisdictionLabels.col.resolution': 'Organisations',
  'jurisdictionLabels.byResponsible': 'the task’s responsible units',
  'jurisdictionLabels.unresolved': 'Not recognised: {parts}',
  'jurisdictionLabels.office': 'Set by the office',
  'jurisdictionLabels.pick': 'Choose organisations',
  'jurisdictionLabels.pickLabel': 'Organisations that report “{label}”',
  'jurisdictionLabels.save': 'Save',
  'jurisdictionLabels.saved': 'Saved; every organisation’s report list follows',
  'jurisdictionLabels.empty': 'No target of this plan names a jurisdiction',
};
