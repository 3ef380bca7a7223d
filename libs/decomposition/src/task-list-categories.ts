import type { TaskListSheetRow } from './task-list.xlsx';

/** A category row's number, level name and title: “一、科技创新” → 一、, 一、, 科技创新. */
export function readCategory(text: string): { number: string; levelName: string; title: string } {
  const m = /^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*(.*)$/.exec(text.trim());
  if (!m) return { number: '', levelName: '', title: text.trim() };
  return { number: m[1], levelName: m[1].endsWith('、') ? '一、' : '（一）', title: m[2].trim() };
}

/** The categories of a sheet in order, and for each task row (headings left out) the index of its category. */
export function categoriesOf(rows: TaskListSheetRow[]) {
  const categories: { number: string; levelName: string; title: string }[] = [];
  const of: (number | null)[] = [];
  let current: number | null = null;
  for (const row of rows) {
    if (isHeadingRow(row)) {
      const text = row.cells.title || row.cells.code;
      if (!text) continue;
      categories.push(readCategory(text));
      current = categories.length - 1;
    } else of.push(current);
  }
  return { categories, of };
}

/** A row that only names a group (“一、推动高质量发展”) heads the tasks below it; it is not a task. */
export function isHeadingRow({ cells }: TaskListSheetRow): boolean {
  const empty =
    !cells.content && !cells.leadUnits && !cells.supportUnits && !cells.responsibleLeader && !cells.deadline;
  return (
    empty &&
    (!cells.title || /^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[）)]/.test(cells.title))
  );
}
