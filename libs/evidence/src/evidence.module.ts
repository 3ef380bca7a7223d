import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceController } from './evidence.controller';
import { Evidence } from './evidence.entity';
import { EvidenceResolver } from './evidence.resolver';
import { EvidenceService } from './evidence.service';
import { EvidenceStorage } from './evidence.storage';

/**
 * 佐证材料: upload and download over HTTP, the upload rules over GraphQL; the progress reports attach them
 * through {@link EvidenceService}.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Evidence])],
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceStorage, EvidenceResolver],
  exports: [EvidenceService],
})
export class EvidenceModule {}
