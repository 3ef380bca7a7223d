import { randomUUID } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { APP_CONFIG, endOfDayInBeijing, transactional, type Actor, type AppConfig } from '@zhezi/core';
import { PortfolioService, User } from '@zhezi/org';
import {
  DueKind,
  periodEnds,
  Plan,
  PlanKind,
  readDeadlineTerm,
  Target,
  TargetLevel,
  targetPath,
} from '@zhezi/plan';
import { AssignmentRole } from '@zhezi/task';
import { DraftService } from './draft.service';
import { DraftTask } from './draft-task.entity';
import { UnitSource, type DraftTaskIssue } from './draft-units';
import type { ImportResult, ImportTaskListInput } from './decomposition.types';
import { FileUploadService } from './file-upload.service';
import { importFailed, readTaskListFile } from './task-list-file';
import { leaderReadingIssue, readLeader, servingLeaders } from './leader-titles';
import { loadUnitDirectory, type UnitDirectory } from './unit-directory';
import { readRowUnits } from './unit-reading';
import { categoriesOf, isHeadingRow } from './task-list-categories';
import {
  TASK_LIST_HEADERS,
  type TaskListColumn,
  type TaskListIssue,
  type TaskListSheetRow,
} from './task-list.xlsx';

/**
 * Imports a 折子工程 table into a new task list as drafts: every row checked first, every problem reported
 * with its row and column, and nothing written unless the whole file is clean.
 */
@Injectable()
export class TaskListImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly draftService: DraftService,
    private readonly uploads: FileUploadService,
    private readonly portfolios: PortfolioService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async importTaskList(actor: Actor, input: ImportTaskListInput): Promise<ImportResult> {
    const file = await this.uploads.receive(actor, input.file);
    // Rows beyond IMPORT_MAX_ROWS (a city's yearly list is far fewer) are refused while the file is read.
    const sheet = await readTaskListFile(file.data, this.config.files, file.fileName);
    return transactional(this.dataSource, async (manager) => {
      const directory = await loadUnitDirectory(manager);
      const leaders = await servingLeaders(manager);
      const issues: TaskListIssue[] = [];
      const taskRows = sheet.rows.filter((row) => !isHeadingRow(row));
      // Category rows (“一、科技创新” merged across the table) group the tasks below them.
      const groups = categoriesOf(sheet.rows);
      const overseerOf = await this.portfolios.overseers(manager);
      const rows = taskRows.map((row, index) => {
        const checked = this.checkRow(row, input.year, directory, leaders, overseerOf, issues);
        // Unnumbered rows are numbered in order, as the printed list would be.
        return { ...checked, code: checked.code || String(index + 1) };
      });
      const seen = new Map<string, number>();
      rows.forEach((r, i) => {
        const earlier = seen.get(r.code);
        if (earlier !== undefined) {
          this.issue(issues, taskRows[i], 'code', `序号“${r.code}”与第 ${earlier} 行重复`);
        } else seen.set(r.code, taskRows[i].row);
      });
      if (rows.length === 0)
        issues.push({ row: null, column: null, header: null, message: '表格中没有任务行' });
      if (issues.length) {
        const cell = (i: TaskListIssue) =>
          i.row && i.column && sheet.letters[i.column] ? `${sheet.letters[i.column]}${i.row}` : null;
        throw importFailed(issues.map((i) => ({ ...i, cell: cell(i) })));
      }

      const title = input.title?.trim() || sheet.title || `${input.year}年折子工程`;
      const lastDue = Math.max(...rows.map((r) => r.dueAt.getTime()));
      const plan = await manager.save(
        manager.create(Plan, {
          title,
          kind: PlanKind.TASK_LIST,
          periodStart: new Date(`${input.year}-01-01T00:00:00+08:00`),
          periodEnd: new Date(Math.max(endOfDayInBeijing(`${input.year}-12-31`).getTime(), lastDue)),
          description: `由 ${file.fileName} 导入`,
          createdById: actor.userId,
        }),
      );
      // Each category becomes a target of the list, one level above its tasks.
      const categories = groups.categories.map((c, index) =>
        manager.create(Target, {
          id: randomUUID(),
          planId: plan.id,
          parentId: null,
          level: TargetLevel.CHAPTER,
          number: c.number,
          levelName: c.levelName,
          title: c.title,
          body: '',
          position: index + 1,
          path: targetPath([index + 1]),
          dueAt: null,
        }),
      );
      if (categories.length) await manager.insert(Target, categories);
      const drafts = rows.map((r, index) =>
        manager.create(DraftTask, {
          ...r,
          id: randomUUID(),
          planId: plan.id,
          position: index + 1,
          targetIds: groups.of[index] === null ? [] : [categories[groups.of[index]].id],
          suggestions: [],
          taskId: null,
        }),
      );
      await this.draftService.insertDrafts(manager, drafts);
      await this.audit.record(manager, actor, {
        action: 'plan.import',
        entityType: 'Plan',
        entityId: plan.id,
        after: { ...plan, fileName: file.fileName, rows: drafts.length },
      });
      return { plan, draftTaskCount: drafts.length };
    });
  }

  private checkRow(
    row: TaskListSheetRow,
    year: number,
    directory: UnitDirectory,
    leaders: User[],
    overseerOf: Map<string, string>,
    issues: TaskListIssue[],
  ) {
    const { cells } = row;
    const issue = (column: TaskListColumn, message: string) => this.issue(issues, row, column, message);
    const title = cells.title.replace(/\s+/g, ' ').trim();
    if (!title) issue('title', '任务名称不能为空');
    else if (title.length > 200) issue('title', `任务名称超过 200 字（${title.length} 字）`);
    const units = readRowUnits(cells, directory);
    for (const refusal of units.refusals) issue(refusal.column, refusal.message);
    const lead = units.lead.map((u) => u.id);
    // A lead written but unreadable is reported as such, not as missing.
    const leadWritten =
      units.issues.some((i) => i.role === AssignmentRole.LEAD) ||
      units.refusals.some((r) => r.column !== 'supportUnits');
    if (!lead.length && !leadWritten) issue('leadUnits', '牵头单位不能为空');
    // 责任领导 by name or title; one that may mean several leaders is the leader's to settle in review.
    const leaderName = cells.responsibleLeader.trim() || units.leaders[0] || '';
    const leader = readLeader(leaderName, {
      leaders,
      overseerOf,
      leadUnitIds: lead,
      leadUnitNames: units.lead.map((u) => u.name),
    });
    const draftIssues: DraftTaskIssue[] = [...units.issues];
    if (leader?.kind === 'UNKNOWN') {
      issue('responsibleLeader', `“${leaderName}”不是系统中在任的区领导（每行只填一位责任领导）`);
    } else if (leader?.kind === 'CANDIDATES') draftIssues.push(leaderReadingIssue(leaderName, leader));
    // 长期坚持 is due at no date (the year's end only holds the column); 每季度 at each quarter's end.
    const term = readDeadlineTerm(cells.deadline, year);
    const day = term ? (term.day ?? `${year}-12-31`) : null;
    const milestones =
      term?.kind === DueKind.RECURRING && term.recurrence && day
        ? periodEnds(term.recurrence, `${year}-01-01`, day).map((end) => ({
            title: end.title,
            dueAt: endOfDayInBeijing(end.day),
          }))
        : [];
    if (!term) issue('deadline', `无法识别完成时限“${cells.deadline}”（可写“2026年6月底前”“年底前”或日期）`);
    return {
      code: cells.code.trim(),
      title,
      description: cells.content.trim(),
      leadUnitIds: lead,
      supportUnitIds: units.support.map((u) => u.id),
      // A table's units are written in it, as are its contents'.
      unitSources: Object.fromEntries(
        [...units.lead, ...units.support].map((u) => [u.id, UnitSource.TEXT]),
      ) as Record<string, UnitSource>,
      issues: draftIssues,
      responsibleLeaderId: leader?.kind === 'LEADER' ? leader.leader.id : null,
      dueAt: day ? endOfDayInBeijing(day) : new Date(0),
      dueKind: term?.kind ?? DueKind.DATE,
      recurrence: term?.recurrence ?? null,
      milestones,
    };
  }

  private issue(
    issues: TaskListIssue[],
    row: TaskListSheetRow,
    column: TaskListColumn,
    message: string,
  ): void {
    issues.push({ row: row.row, column, header: TASK_LIST_HEADERS[column][0], message });
  }
}
