import { randomUUID } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { APP_CONFIG, endOfDayInBeijing, Role, transactional, type Actor, type AppConfig } from '@zhezi/core';
import { ASSIGNABLE_KINDS, LOCAL_KINDS, OrgUnit, PortfolioService, User } from '@zhezi/org';
import { parseDeadlineCell, Plan, PlanKind } from '@zhezi/plan';
import { DecompositionService } from './decomposition.service';
import { DraftTask } from './draft-task.entity';
import type { ImportResult, ImportTaskListInput } from './decomposition.types';
import { FileUploadService } from './file-upload.service';
import { importFailed, readTaskListFile } from './task-list-file';
import {
  TASK_LIST_HEADERS,
  type TaskListColumn,
  type TaskListIssue,
  type TaskListSheetRow,
} from './task-list.xlsx';

const UNIT_SEPARATORS = /[、，,；;\/\s]+/u;
/** Tables write “各街镇” for every subdistrict and town. */
const ALL_LOCAL_UNITS = new Set([
  '各街镇',
  '各街道、镇',
  '各街道（镇）',
  '各街道(镇)',
  '各街道镇',
  '各街道和镇',
]);

/**
 * Unit names as tables write them → units. A unit's own name wins over another's alias; the same without
 * 北京市/海淀区 prefixes next. A name two units answer to is reported, not guessed.
 */
class UnitDirectory {
  private readonly names = new Map<string, Set<OrgUnit>>();
  private readonly aliases = new Map<string, Set<OrgUnit>>();

  constructor(
    units: OrgUnit[],
    readonly locals: OrgUnit[],
  ) {
    const add = (map: Map<string, Set<OrgUnit>>, name: string, unit: OrgUnit) => {
      for (const variant of UnitDirectory.variants(name)) {
        map.set(variant, (map.get(variant) ?? new Set()).add(unit));
      }
    };
    for (const unit of units) {
      add(this.names, unit.name, unit);
      for (const alias of unit.aliases) add(this.aliases, alias, unit);
    }
  }

  private static variants(name: string): string[] {
    const bare = name.replace(/\s/g, '');
    return [bare, bare.replace(/^北京市/, ''), bare.replace(/^(北京市)?海淀区/, '区')];
  }

  /** The unit, nothing found, or the several units the name could mean. */
  find(name: string): OrgUnit | OrgUnit[] | undefined {
    for (const map of [this.names, this.aliases]) {
      for (const variant of UnitDirectory.variants(name)) {
        const found = map.get(variant);
        if (found) return found.size === 1 ? [...found][0] : [...found];
      }
    }
    return undefined;
  }
}

/** “分管副区长” / “分管区领导”: the leader overseeing the row's lead unit (see leader portfolios). */
const OVERSEEING_LEADER = /^分管(副区长|区长|区领导|领导)?$/u;

/** 责任领导 as written: a leader's name, with or without the title (王伟 / 王伟副区长 / 副区长王伟). */
function findLeader(cell: string, leaders: User[]): User | User[] | undefined {
  const written = cell.replace(/\s/g, '');
  const matches = leaders.filter((u) => {
    const title = u.title ?? '';
    return [u.displayName, `${u.displayName}${title}`, `${title}${u.displayName}`].includes(written);
  });
  return matches.length > 1 ? matches : matches[0];
}

/**
 * Imports a 折子工程 table into a new task list as drafts: every row checked first, every problem reported
 * with its row and column, and nothing written unless the whole file is clean.
 */
@Injectable()
export class TaskListImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly decomposition: DecompositionService,
    private readonly uploads: FileUploadService,
    private readonly portfolios: PortfolioService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async importTaskList(actor: Actor, input: ImportTaskListInput): Promise<ImportResult> {
    const file = await this.uploads.receive(actor, input.file);
    // Rows beyond IMPORT_MAX_ROWS (a city's yearly list is far fewer) are refused while the file is read.
    const sheet = await readTaskListFile(file.data, this.config.files);
    return transactional(this.dataSource, async (manager) => {
      // Merged and renamed units answer to their old names as aliases of the unit in use.
      const units = await manager.find(OrgUnit, { where: { active: true }, order: { sortOrder: 'ASC' } });
      const assignable = units.filter((u) => ASSIGNABLE_KINDS.includes(u.kind));
      const directory = new UnitDirectory(
        assignable,
        assignable.filter((u) => LOCAL_KINDS.includes(u.kind)),
      );
      const leaders = await manager.findBy(User, { role: Role.LEADER, active: true });
      const issues: TaskListIssue[] = [];
      const taskRows = sheet.rows.filter((row) => !isHeadingRow(row));
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
      if (issues.length) throw importFailed(issues);

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
      const drafts = rows.map((r, index) =>
        manager.create(DraftTask, {
          ...r,
          id: randomUUID(),
          planId: plan.id,
          position: index + 1,
          targetIds: [],
          milestones: [],
          suggestions: [],
          taskId: null,
        }),
      );
      await this.decomposition.insertDrafts(manager, drafts);
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
    const units = (column: 'leadUnits' | 'supportUnits') => {
      const found: OrgUnit[] = [];
      for (const name of cells[column].split(UNIT_SEPARATORS).filter(Boolean)) {
        if (ALL_LOCAL_UNITS.has(name)) found.push(...directory.locals);
        else {
          const unit = directory.find(name);
          if (Array.isArray(unit)) {
            issue(column, `“${name}”可指${unit.map((u) => u.name).join('、')}，请写明全称`);
          } else if (unit) found.push(unit);
          else issue(column, `未找到单位“${name}”（请使用单位全称或常用简称）`);
        }
      }
      return [...new Map(found.map((u) => [u.id, u])).values()];
    };
    const lead = units('leadUnits');
    if (!cells.leadUnits.trim()) issue('leadUnits', '牵头单位不能为空');
    const support = units('supportUnits').filter((u) => !lead.some((l) => l.id === u.id));
    const leaderName = cells.responsibleLeader.replace(/\s/g, '');
    let leader: User | User[] | undefined;
    if (OVERSEEING_LEADER.test(leaderName)) {
      const overseer = lead.map((u) => overseerOf.get(u.id)).find(Boolean);
      leader = leaders.find((l) => l.id === overseer);
      if (!leader && lead.length) {
        issue('responsibleLeader', `${lead[0].name}尚未设置分管区领导，请填写责任领导姓名`);
      }
    } else if (leaderName) leader = findLeader(leaderName, leaders);
    if (Array.isArray(leader)) issue('responsibleLeader', `有多位区领导名为“${leaderName}”，请加上职务`);
    else if (leaderName && !leader && !OVERSEEING_LEADER.test(leaderName)) {
      issue('responsibleLeader', `“${leaderName}”不是系统中在任的区领导（每行只填一位责任领导）`);
    }
    const day = parseDeadlineCell(cells.deadline, year);
    if (!day) issue('deadline', `无法识别完成时限“${cells.deadline}”（可写“2026年6月底前”“年底前”或日期）`);
    return {
      code: cells.code.trim(),
      title,
      description: cells.content.trim(),
      leadUnitIds: lead.map((u) => u.id),
      supportUnitIds: support.map((u) => u.id),
      responsibleLeaderId: leader && !Array.isArray(leader) ? leader.id : null,
      dueAt: day ? endOfDayInBeijing(day) : new Date(0),
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

/** A row that only names a group (“一、推动高质量发展”) heads the tasks below it; it is not a task. */
function isHeadingRow({ cells }: TaskListSheetRow): boolean {
  const empty =
    !cells.content && !cells.leadUnits && !cells.supportUnits && !cells.responsibleLeader && !cells.deadline;
  return (
    empty &&
    (!cells.title || /^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[）)]/.test(cells.title))
  );
}
