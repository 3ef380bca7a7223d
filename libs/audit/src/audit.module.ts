import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JsonScalar } from '@zhezi/core';
import { AuditEvent } from './audit-event.entity';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService, AuditResolver, JsonScalar],
  exports: [AuditService],
})
export class AuditModule {}
