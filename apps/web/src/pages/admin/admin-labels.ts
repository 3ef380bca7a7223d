import type {
  ApproverSource,
  ChannelKind,
  DayKind,
  DeliveryStatus,
  EscalationRecipient,
  OrgUnitKind,
  Role,
  StepMode,
} from '../../gql/graphql';

/** The words of the administration pages, as the schema and the glossary name them. */
export const DAY_KIND_LABEL: Record<DayKind, string> = {
  WORKDAY: '工作日',
  WEEKEND: '周末',
  HOLIDAY: '法定节假日',
  MAKEUP_WORKDAY: '调休上班日',
};

export const RECIPIENT_LABEL: Record<EscalationRecipient, string> = {
  UNIT_OFFICERS: '承办单位经办人',
  UNIT_HEAD: '承办单位负责人',
  LEAD_DEPARTMENT_HEAD: '牵头部门负责人',
  INSPECTORATE: '督查室',
  RESPONSIBLE_LEADER: '责任领导',
};

export const APPROVER_SOURCE_LABEL: Record<ApproverSource, string> = {
  UNIT_HEAD: '承办单位负责人',
  LEAD_DEPARTMENT_HEAD: '牵头部门负责人',
  INSPECTORATE: '督查室',
  RESPONSIBLE_LEADER: '责任领导',
  ROLE: '指定角色',
};

export const STEP_MODE_LABEL: Record<StepMode, string> = {
  ALL: '会签（每人都须同意）',
  ANY: '或签（一人同意即可）',
};

export const CHANNEL_KIND_LABEL: Record<ChannelKind, string> = {
  DINGTALK: '钉钉群机器人',
  WECOM: '企业微信群机器人',
  FEISHU: '飞书群机器人',
  WEBHOOK: 'Webhook',
  EMAIL: '电子邮件',
};

export const DELIVERY_STATUS_LABEL: Record<DeliveryStatus, string> = {
  SENT: '已送达',
  PENDING: '待发送',
  DEAD: '发送失败',
};

/**
 * Which kinds of unit each role belongs to (the API refuses the rest): offered first in the forms so that an
 * admin is not sent back with an error for a combination that cannot work.
 */
export const ROLE_UNIT_KINDS: Record<Role, readonly OrgUnitKind[]> = {
  ADMIN: ['GOVERNMENT', 'DEPARTMENT', 'SUBDISTRICT', 'TOWN', 'INSPECTORATE'],
  LEADER: ['GOVERNMENT'],
  INSPECTOR: ['INSPECTORATE', 'GOVERNMENT'],
  DEPARTMENT_HEAD: ['DEPARTMENT'],
  DEPARTMENT_OFFICER: ['DEPARTMENT'],
  SUBDISTRICT_HEAD: ['SUBDISTRICT', 'TOWN'],
  SUBDISTRICT_OFFICER: ['SUBDISTRICT', 'TOWN'],
};
