/**
 * Words of the registry's tree view (issue 12: jurisdictions), both languages side by side.
 * Keys start with `orgTree.`.
 */
export const organisationTreeZhCN = {
  'orgTree.view': '显示方式',
  'orgTree.tree': '层级',
  'orgTree.list': '列表',
};

export const organisationTreeEn: Record<keyof typeof organisationTreeZhCN, string> = {
  'orgTree.view': 'View',
  'orgTree.tree': 'Tree',
  'orgTree.list': 'List',
};
