/**
 * The province dashboard's words and the dashboard's "whose data" banner, both languages side by
 * side; spread into zh-CN.ts and en.ts.
 */
export const provinceDashboardZhCN = {
  'province.title': '全省总览',
  'province.scope': '{name} · 各市数据',
  'province.caption': '各市方案、任务、目标、填报率与督办，点击城市查看其总览',
  'province.col.city': '城市',
  'province.col.plans': '方案',
  'province.col.tasks': '任务',
  'province.col.targets': '目标（已完成/总数）',
  'province.col.rate': '本期填报率',
  'province.col.notices': '在办督办',
  'province.col.noticesOverdue': '督办逾期',
  'province.col.actions': '查看',
  'province.openDashboard': '总览',
  'province.openLedger': '台账',
  'province.openDashboardOf': '查看{name}总览',
  'province.openLedgerOf': '查看{name}台账',
  'province.empty': '本省下尚无城市。',
  'province.noRate': '—',
  'province.rate': '{percent}%（{submitted}/{expected}）',
  'dashboard.scope': '{name} · 数据范围',
  'dashboard.backToProvince': '全省总览',
};

export const provinceDashboardEn: Record<keyof typeof provinceDashboardZhCN, string> = {
  'province.title': 'Province overview',
  'province.scope': '{name} · all cities',
  'province.caption': 'Plans, tasks, targets, reporting rate and supervision of each city; open a city for its overview',
  'province.col.city': 'City',
  'province.col.plans': 'Plans',
  'province.col.tasks': 'Tasks',
  'province.col.targets': 'Targets (done/total)',
  'province.col.rate': 'Reporting rate',
  'province.col.notices': 'Open notices',
  'province.col.noticesOverdue': 'Notices overdue',
  'province.col.actions': 'Open',
  'province.openDashboard': 'Overview',
  'province.openLedger': 'Ledger',
  'province.openDashboardOf': 'Overview of {name}',
  'province.openLedgerOf': 'Ledger of {name}',
  'province.empty': 'No city under this province yet.',
  'province.noRate': '—',
  'province.rate': '{percent}% ({submitted}/{expected})',
  'dashboard.scope': '{name} · data scope',
  'dashboard.backToProvince': 'Province overview',
};
