/**
 * Words of the registry's tree view (issue 12: jurisdictions), both languages side by side.
 * Keys start with `orgTree.`.
 */
export const organisationTreeZhCN = {
  'orgTree.view': '显示方式',
  'orgTree.tree': '层级',
  'orgTree.list': '列表',
  'orgTree.jurisdictions': '辖区',
  'orgTree.jurisdictionsLabel': '辖区：省 → 市 → 县（市、区）',
  'orgTree.levelProvince': '省级管理机构',
  'orgTree.levelCity': '市级管理机构',
  'orgTree.noTenants': '本系统尚未设立省、市管理机构，所有单位属于同一辖区。',
  'orgTree.declareCity': '设为市级管理机构',
  'orgTree.declareCityConfirm': '将“{name}”设为本省下辖的市级管理机构？其下级单位随之划入该市，本省将只能查看、不能再修改它们。',
  'orgTree.declared': '已设为市级管理机构',
  'orgTree.whose': '显示：{name}',
};

export const organisationTreeEn: Record<keyof typeof organisationTreeZhCN, string> = {
  'orgTree.view': 'View',
  'orgTree.tree': 'Tree',
  'orgTree.list': 'List',
  'orgTree.jurisdictions': 'Jurisdictions',
  'orgTree.jurisdictionsLabel': 'Jurisdictions: province → cities → counties',
  'orgTree.levelProvince': 'Province office',
  'orgTree.levelCity': 'City office',
  'orgTree.noTenants': 'No province or city office is declared: every organisation is in one jurisdiction.',
  'orgTree.declareCity': 'Declare as city office',
  'orgTree.declareCityConfirm':
    'Declare “{name}” a city office under this province? The organisations below it move into the city; the province will read them but no longer change them.',
  'orgTree.declared': 'Declared as a city office',
  'orgTree.whose': 'Showing: {name}',
};
