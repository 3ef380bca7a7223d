import { Query, Resolver } from '@nestjs/graphql';
import { EvidenceRules } from './evidence.entity';
import { EvidenceService } from './evidence.service';

@Resolver(() => EvidenceRules)
export class EvidenceResolver {
  constructor(private readonly evidence: EvidenceService) {}

  @Query(() => EvidenceRules, {
    description: '佐证材料的上传规则（扩展名、大小上限），供上传前在浏览器里先行检查',
  })
  evidenceRules(): EvidenceRules {
    return this.evidence.rules();
  }
}
