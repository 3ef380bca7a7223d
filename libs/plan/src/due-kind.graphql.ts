import { registerEnumType } from '@nestjs/graphql';
import { DueKind, Recurrence } from './due-kind';

registerEnumType(DueKind, {
  name: 'DueKind',
  description: '完成时限的类型',
  valuesMap: {
    DATE: { description: '按日期完成' },
    ONGOING: { description: '长期（长期坚持、持续推进）：无完成日期，每期报送，不计逾期' },
    RECURRING: { description: '周期性（每月、每季度、每半年、每年）：每期末为时间节点' },
  },
});

registerEnumType(Recurrence, {
  name: 'Recurrence',
  description: '周期',
  valuesMap: {
    MONTHLY: { description: '每月' },
    QUARTERLY: { description: '每季度' },
    HALF_YEARLY: { description: '每半年' },
    YEARLY: { description: '每年' },
  },
});

export { DueKind, Recurrence };
