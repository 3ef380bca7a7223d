import { readFileSync } from 'fs';
import { resolve } from 'path';
import { endOfDayInBeijing, Role } from '@zhezi/core';
import { parsePlanDocument, targetPath } from '@zhezi/plan';
import { ASSIGNABLE_KINDS, LOCAL_KINDS, OrgUnitKind } from '@zhezi/org';
import { DEMO_LOGINS, DEMO_PLAN, DEMO_TASKS, formatDemoLogins } from './demo';
import { DISTRICT_UNITS } from './district';
import { resolvePlanFile } from './plan-file';

const REPO_ROOT = resolve(__dirname, '../../..');
const kindOf = (name: string) => DISTRICT_UNITS.find((u) => u.name === name)?.kind;

const UNIT_KINDS_OF_ROLE: Record<Role, OrgUnitKind[]> = {
  [Role.ADMIN]: [OrgUnitKind.GOVERNMENT],
  [Role.LEADER]: [OrgUnitKind.GOVERNMENT],
  [Role.INSPECTOR]: [OrgUnitKind.INSPECTORATE],
  [Role.DEPARTMENT_HEAD]: [OrgUnitKind.DEPARTMENT],
  [Role.DEPARTMENT_OFFICER]: [OrgUnitKind.DEPARTMENT],
  [Role.SUBDISTRICT_HEAD]: [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN],
  [Role.SUBDISTRICT_OFFICER]: [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN],
};

describe('endOfDayInBeijing', () => {
  it('is the last millisecond of the day at +08:00', () => {
    expect(endOfDayInBeijing('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z');
  });

  it('rejects what is not a calendar date', () => {
    expect(() => endOfDayInBeijing('2026-1-5')).toThrow();
    expect(() => endOfDayInBeijing('2026-13-01')).toThrow();
    expect(() => endOfDayInBeijing('2026-02-30')).toThrow();
  });
});

describe('demo plan', () => {
  it('covers 2016–2020 in Beijing time', () => {
    expect(DEMO_PLAN.periodStart.toISOString()).toBe('2015-12-31T16:00:00.000Z');
    expect(DEMO_PLAN.periodEnd.toISOString()).toBe('2020-12-31T15:59:59.999Z');
  });
});

describe('demo logins', () => {
  it('have unique ASCII usernames and one login per role at least', () => {
    const usernames = DEMO_LOGINS.map((l) => l.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(usernames.every((u) => /^[a-z][a-z0-9.]*$/.test(u))).toBe(true);
    expect(new Set(DEMO_LOGINS.map((l) => l.role))).toEqual(new Set(Object.values(Role)));
  });

  it('sit in units of the kind their role needs', () => {
    const misplaced = DEMO_LOGINS.filter(
      (l) => !UNIT_KINDS_OF_ROLE[l.role].some((kind) => kind === kindOf(l.unit)),
    );
    expect(misplaced.map((l) => l.username)).toEqual([]);
  });

  it('are printable for the README and npm run up', () => {
    const lines = formatDemoLogins();
    expect(lines[0]).toContain('Zhezi@2026');
    expect(lines).toHaveLength(DEMO_LOGINS.length + 1);
  });
});

describe('demo tasks', () => {
  const { nodes } = parsePlanDocument(
    readFileSync(resolvePlanFile(undefined, process.env, REPO_ROOT), 'utf8'),
  );
  const sectionPaths = new Set(nodes.flatMap((c, i) => c.children.map((_, j) => targetPath([i + 1, j + 1]))));
  const leaders = new Set(DEMO_LOGINS.filter((l) => l.role === Role.LEADER).map((l) => l.username));

  it('are a dozen, numbered 1–12', () => {
    expect(DEMO_TASKS.map((t) => t.code)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
  });

  it.each(DEMO_TASKS.map((t) => [t.code, t]))('task %s is consistent', (_, task) => {
    expect(sectionPaths).toContain(task.section);
    expect(leaders).toContain(task.leader);
    const due = endOfDayInBeijing(task.dueOn);
    expect([2026, 2027]).toContain(Number(task.dueOn.slice(0, 4)));
    expect(task.lead.length).toBeGreaterThan(0);
    for (const unit of [...task.lead, ...task.support]) expect(ASSIGNABLE_KINDS).toContain(kindOf(unit));
    for (const split of task.splits) {
      expect(kindOf(split.from)).toBe(OrgUnitKind.DEPARTMENT);
      expect([...task.lead, ...task.support]).toContain(split.from);
      for (const unit of split.to) expect(LOCAL_KINDS).toContain(kindOf(unit));
      expect(endOfDayInBeijing(split.dueOn).getTime()).toBeLessThanOrEqual(due.getTime());
    }
    for (const m of task.milestones)
      expect(endOfDayInBeijing(m.dueOn).getTime()).toBeLessThanOrEqual(due.getTime());
    // The database holds one share per unit and task.
    const units = [...task.lead, ...task.support, ...task.splits.flatMap((s) => s.to)];
    expect(new Set(units).size).toBe(units.length);
  });

  it('give every department and subdistrict login something on its own list', () => {
    const assigned = new Set(
      DEMO_TASKS.flatMap((t) => [...t.lead, ...t.support, ...t.splits.flatMap((s) => s.to)]),
    );
    const unitLogins = DEMO_LOGINS.filter((l) => ASSIGNABLE_KINDS.some((kind) => kind === kindOf(l.unit)));
    expect(unitLogins.length).toBeGreaterThanOrEqual(12);
    expect(unitLogins.filter((l) => !assigned.has(l.unit)).map((l) => l.username)).toEqual([]);
  });
});
