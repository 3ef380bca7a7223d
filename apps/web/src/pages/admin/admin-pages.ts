/** The administration pages, in the menu's order (UI.md): the menu and the 系统管理 overview list them. */
export const ADMIN_PAGES = [
  { path: '/system/users', title: '用户', text: '新建账号、调整角色和单位、停用、重置密码' },
  { path: '/system/units', title: '单位', text: '组织机构：新增、改名、移动、合并，区领导分管的单位' },
  { path: '/system/calendar', title: '工作日历', text: '法定节假日和调休：导入次年放假安排，修改某一天' },
  { path: '/system/escalation', title: '督办流程', text: '提醒、催办、督办、通报、约谈的时间与接收对象' },
  { path: '/system/approval-flows', title: '审批流程', text: '销号、延期、任务调整、分解审定的审批步骤' },
  { path: '/system/keywords', title: '关键词', text: '关键词 → 承办单位词典，试一试单位建议' },
  { path: '/system/channels', title: '通知渠道', text: '各单位的钉钉、企业微信、飞书群机器人和 Webhook' },
  { path: '/system/queues', title: '队列', text: '后台任务队列：督办、推送、事件的积压与失败' },
] as const;

/** Unit heads manage their own unit's robots and webhooks on the same page. */
export const CHANNELS_PATH = '/system/channels';
