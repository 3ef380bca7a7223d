import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '@zhezi/access';
import { AuditModule } from '@zhezi/audit';
import { DeadlineModule } from '@zhezi/deadline';
import { OrgModule } from '@zhezi/org';
import {
  AssignmentBoardResolver,
  BulletinResolver,
  BulletinRowResolver,
  IndicatorBoardResolver,
  LeaderBoardResolver,
  UnitBoardResolver,
} from './board.resolver';
import { BoardReadModelModule } from './board-read-model.module';
import { BoardResponses } from './board-responses';
import { BoardService } from './board.service';
import { BoardStream } from './board.stream';
import { BulletinController } from './bulletin.controller';
import { BulletinService } from './bulletin.service';
import { IndicatorBoardService } from './indicator-board.service';
import { IndicatorValue } from './indicator-board.types';
import { ShareListService } from './share-list.service';

@Module({
  imports: [
    AccessModule,
    AuditModule,
    BoardReadModelModule,
    DeadlineModule,
    OrgModule,
    TypeOrmModule.forFeature([IndicatorValue]),
  ],
  providers: [
    BoardService,
    BoardResponses,
    ShareListService,
    BoardStream,
    LeaderBoardResolver,
    UnitBoardResolver,
    AssignmentBoardResolver,
    BulletinService,
    BulletinResolver,
    BulletinRowResolver,
    IndicatorBoardService,
    IndicatorBoardResolver,
  ],
  controllers: [BulletinController],
  exports: [BoardService, BoardResponses, BulletinService],
})
export class BoardModule {}
