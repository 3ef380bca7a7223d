import { describe, expect, it } from 'vitest';
import { requestSubject, requestTitle, requestUnit, stepLabel, type RequestFacts } from './summary';

const closeOut: RequestFacts = {
  kind: 'CLOSE_OUT',
  currentStep: 2,
  steps: [
    { position: 1, name: '承办单位负责人审核' },
    { position: 2, name: '牵头部门负责人审核' },
    { position: 3, name: '督查室审核' },
  ],
  task: { title: '停车治理' },
  assignment: { orgUnit: { name: '中关村街道' } },
  requestedBy: { displayName: '督查员', orgUnit: { name: '区政府督查室' } },
};

describe('request summary', () => {
  it("names the share's unit, the task and the current step", () => {
    expect(requestUnit(closeOut)).toBe('中关村街道');
    expect(requestTitle(closeOut)).toBe('销号申请：停车治理');
    expect(stepLabel(closeOut)).toBe('牵头部门负责人审核（第 2/3 步）');
  });

  it("falls back to the requester's unit and the plan for a 分解审定", () => {
    const decomposition: RequestFacts = {
      kind: 'DECOMPOSITION',
      currentStep: null,
      steps: [],
      task: null,
      plan: { title: '海淀区十三五规划纲要' },
      assignment: null,
      requestedBy: { displayName: '王主任', orgUnit: { name: '区发展改革委' } },
    };
    expect(requestUnit(decomposition)).toBe('区发展改革委');
    expect(requestSubject(decomposition)).toBe('海淀区十三五规划纲要');
    expect(stepLabel(decomposition)).toBe('—');
  });
});
