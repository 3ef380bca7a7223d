import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PortfolioService, type User } from '@zhezi/org';
import { AssignmentRole } from '@zhezi/task';
import type { UnitSuggestion } from './draft-task.entity';
import { UnitSource, type DraftUnitFields } from './draft-units';
import { leaderReadingIssue, readLeader, servingLeaders } from './leader-titles';
import { SuggestionService } from './suggestion.service';
import { loadUnitDirectory, type UnitDirectory } from './unit-directory';
import { withoutUnitAnnotations } from './unit-mentions';
import { readTextUnits } from './unit-reading';
import type { UnitSuggester } from './unit-suggester';

/** A measure's units and leader as a draft takes them, and its title without the annotations. */
export interface MeasureUnits extends DraftUnitFields {
  title: string;
  suggestions: UnitSuggestion[];
  responsibleLeaderId: string | null;
}

/**
 * Reads the units a plan's measures name (see readTextUnits) before any guess: what the text names is the
 * draft's (TEXT); the keyword suggestions fill only a role the text says nothing about (SUGGESTED) and are
 * listed on the draft either way. A 责任领导 written by name or title is resolved (see readLeader).
 */
export class MeasureUnitReader {
  constructor(
    private readonly directory: UnitDirectory,
    private readonly suggester: UnitSuggester,
    private readonly leaders: User[],
    private readonly overseerOf: Map<string, string>,
  ) {}

  read(title: string, body: string): MeasureUnits {
    const found = readTextUnits(`${title}${body}`, this.directory);
    const plainTitle = withoutUnitAnnotations(title);
    const suggestions = this.suggester.suggest(plainTitle, withoutUnitAnnotations(body));
    const suggested = (role: AssignmentRole) =>
      suggestions.filter((s) => s.role === role).map((s) => s.orgUnitId);
    const unitSources: Record<string, UnitSource> = {};
    const take = (ids: string[], source: UnitSource) => {
      for (const id of ids) unitSources[id] ??= source;
      return ids;
    };
    // A lead written as something vague or unknown is still written: the leader picks it, not the dictionary.
    const leadWritten = found.lead.length > 0 || found.issues.some((i) => i.role === AssignmentRole.LEAD);
    const leadUnitIds = leadWritten
      ? take(
          found.lead.map((u) => u.id),
          UnitSource.TEXT,
        )
      : take(suggested(AssignmentRole.LEAD), UnitSource.SUGGESTED);
    const supportUnitIds = found.named
      ? take(
          found.support.map((u) => u.id),
          UnitSource.TEXT,
        )
      : take(
          suggested(AssignmentRole.SUPPORT).filter((id) => !leadUnitIds.includes(id)),
          UnitSource.SUGGESTED,
        );
    const issues = [...found.issues];
    let responsibleLeaderId: string | null = null;
    const [written] = found.leaders;
    if (written) {
      const reading = readLeader(written, {
        leaders: this.leaders,
        overseerOf: this.overseerOf,
        leadUnitIds,
        leadUnitNames: leadUnitIds.map((id) => this.directory.units.find((u) => u.id === id)?.name ?? ''),
      });
      if (reading?.kind === 'LEADER') responsibleLeaderId = reading.leader.id;
      else if (reading) issues.push(leaderReadingIssue(written, reading));
    }
    return {
      title: plainTitle,
      suggestions,
      leadUnitIds,
      supportUnitIds,
      unitSources,
      issues,
      responsibleLeaderId,
    };
  }
}

@Injectable()
export class UnitReadingService {
  constructor(
    private readonly suggestions: SuggestionService,
    private readonly portfolios: PortfolioService,
  ) {}

  /** A reader over the units, leaders and portfolios as they are in this transaction. */
  async reader(manager: EntityManager): Promise<MeasureUnitReader> {
    const directory = await loadUnitDirectory(manager);
    const suggester = await this.suggestions.suggester(manager);
    const leaders = await servingLeaders(manager);
    return new MeasureUnitReader(directory, suggester, leaders, await this.portfolios.overseers(manager));
  }
}
