import { Decision, StepStatus } from './approval-request.entity';
import { StepMode } from './approval-flow.entity';

/**
 * Where a step stands after its decisions: a rejection ends it; 或签 (ANY) needs one approval; 会签 (ALL)
 * needs every approver's. Pure, so the rules are tested as data.
 */
export function stepOutcome(
  mode: StepMode,
  approverIds: readonly string[],
  decisions: readonly { approverId: string; decision: Decision }[],
): StepStatus {
  if (approverIds.length === 0) return StepStatus.SKIPPED;
  if (decisions.some((d) => d.decision === Decision.REJECT)) return StepStatus.REJECTED;
  const approved = new Set(decisions.filter((d) => d.decision === Decision.APPROVE).map((d) => d.approverId));
  const done = mode === StepMode.ANY ? approved.size > 0 : approverIds.every((id) => approved.has(id));
  return done ? StepStatus.APPROVED : StepStatus.PENDING;
}

/** The next step that has approvers, after `position` (0 for the first); null when none is left. */
export function nextStepPosition(
  steps: readonly { position: number; approverIds: readonly string[] }[],
  position: number,
): number | null {
  const next = [...steps]
    .sort((a, b) => a.position - b.position)
    .find((s) => s.position > position && s.approverIds.length > 0);
  return next?.position ?? null;
}
