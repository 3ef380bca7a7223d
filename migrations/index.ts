import { InitialSchema1764100000000 } from './1764100000000-InitialSchema';
import { AuditHashChain1764200000000 } from './1764200000000-AuditHashChain';
import { AssignmentLifecycle1764300000000 } from './1764300000000-AssignmentLifecycle';
import { ProgressReports1764400000000 } from './1764400000000-ProgressReports';
import { Approvals1764600000000 } from './1764600000000-Approvals';
import { DeadlineEngine1764700000000 } from './1764700000000-DeadlineEngine';
import { Boards1764800000000 } from './1764800000000-Boards';
import { PlanDecomposition1764900000000 } from './1764900000000-PlanDecomposition';
import { FileUploads1765100000000 } from './1765100000000-FileUploads';
import { ProgressRollUp1765400000000 } from './1765400000000-ProgressRollUp';
import { IndicatorPosition1765400000001 } from './1765400000001-IndicatorPosition';
import { ApprovalStepNotReached1765500000000 } from './1765500000000-ApprovalStepNotReached';
import { UserAdministration1765900000000 } from './1765900000000-UserAdministration';
import { OrgUnitAdministration1766000000000 } from './1766000000000-OrgUnitAdministration';
import { DraftUnitReading1766300000000 } from './1766300000000-DraftUnitReading';

/** Every migration, oldest first. Listed explicitly so no loader has to glob for them. */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  AuditHashChain1764200000000,
  AssignmentLifecycle1764300000000,
  ProgressReports1764400000000,
  Approvals1764600000000,
  DeadlineEngine1764700000000,
  Boards1764800000000,
  PlanDecomposition1764900000000,
  FileUploads1765100000000,
  ProgressRollUp1765400000000,
  IndicatorPosition1765400000001,
  ApprovalStepNotReached1765500000000,
  UserAdministration1765900000000,
  OrgUnitAdministration1766000000000,
  DraftUnitReading1766300000000,
];
