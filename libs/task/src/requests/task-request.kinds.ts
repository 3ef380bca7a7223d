import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApprovalKind, ApprovalKinds } from '@zhezi/approval';
import { AdjustmentRequests } from './adjustment.requests';
import { CloseOutRequests } from './close-out.requests';
import { ExtensionRequests } from './extension.requests';

/** Tells approval what the task's requests do when they end; approval itself knows nothing of tasks. */
@Injectable()
export class TaskRequestKinds implements OnModuleInit {
  constructor(
    private readonly kinds: ApprovalKinds,
    private readonly closeOuts: CloseOutRequests,
    private readonly extensions: ExtensionRequests,
    private readonly adjustments: AdjustmentRequests,
  ) {}

  onModuleInit(): void {
    this.kinds.register(ApprovalKind.CLOSE_OUT, this.closeOuts);
    this.kinds.register(ApprovalKind.EXTENSION, this.extensions);
    this.kinds.register(ApprovalKind.ADJUSTMENT, this.adjustments);
  }
}
