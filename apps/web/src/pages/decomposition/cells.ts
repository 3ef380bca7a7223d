/** One problem of a refused sheet, as the API lists it in `extensions.issues`. */
export interface SheetProblem {
  row: number | null;
  column: string | null;
  header: string | null;
  message: string;
  /** Excel's name of the cell (“D5”) where the API knows it. */
  cell?: string | null;
}

/** 第 5 行 D 列 牵头单位 — where to look in the sheet; the whole file where no row is named. */
export function cellLabel(problem: SheetProblem): string {
  const letter = problem.cell ? /^[A-Z]+/.exec(problem.cell)?.[0] : undefined;
  const parts = [
    problem.row ? `第 ${problem.row} 行` : null,
    letter ? `${letter} 列` : null,
    problem.header ?? null,
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : '整个文件';
}

/** The problems an import refusal carries, in sheet order (rows, then columns); [] for any other error. */
export function sheetProblems(extensions: Record<string, unknown> | undefined): SheetProblem[] {
  const issues = extensions?.issues;
  if (!Array.isArray(issues)) return [];
  const problems = issues.filter(
    (i): i is SheetProblem =>
      typeof i === 'object' && i !== null && typeof (i as SheetProblem).message === 'string',
  );
  const rank = (p: SheetProblem) => p.row ?? 0;
  return [...problems].sort((a, b) => rank(a) - rank(b) || (a.cell ?? '').localeCompare(b.cell ?? ''));
}
