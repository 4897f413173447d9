import type { Cell } from './sheets';

/**
 * Reading one cell. Each reader returns the value or throws a CellError whose
 * message is the Chinese reason shown to the operator.
 */
export class CellError extends Error {}

export const MSG = {
  required: (col: string) => `缺少${col}`,
  tooLong: (col: string, max: number) => `${col}不能超过 ${max} 个字`,
  slash: (col: string) => `${col}不能含有“/”`,
  oneOf: (col: string, value: string, allowed: readonly string[]) => `${col}“${value}”无效，应为 ${allowed.join('/')}`,
  integer: (col: string, value: string, min: number, max: number) => `${col}“${value}”应为 ${min}–${max} 的整数`,
  range: (col: string, value: string, min: number, max: number) => `${col}“${value}”应为 ${min}–${max} 之间的数（GCJ-02）`,
  date: (col: string, value: string) => `${col}“${value}”不是有效日期（YYYY-MM-DD 或 YYYY/M/D）`,
  pattern: (col: string, value: string) => `${col}“${value}”格式不对`,
} as const;

/** Cell text: trimmed, full-width spaces as spaces; dates as YYYY-MM-DD. */
export function text(cells: Map<string, Cell>, col: string): string {
  const v = cells.get(col);
  if (v === undefined) return '';
  if (v instanceof Date) return isoDate(v);
  return v.replace(/\u3000/g, ' ').trim();
}

export function required(cells: Map<string, Cell>, col: string, max: number): string {
  const v = text(cells, col);
  if (v === '') throw new CellError(MSG.required(col));
  if (v.length > max) throw new CellError(MSG.tooLong(col, max));
  return v;
}

/** A region name: required, and no "/" since names are joined with it. */
export function placeName(cells: Map<string, Cell>, col: string): string {
  const v = required(cells, col, 100);
  if (/[/／]/.test(v)) throw new CellError(MSG.slash(col));
  return v;
}

export function oneOf<T extends string>(cells: Map<string, Cell>, col: string, allowed: readonly T[]): T {
  const v = required(cells, col, 20);
  if (!(allowed as readonly string[]).includes(v)) throw new CellError(MSG.oneOf(col, v, allowed));
  return v as T;
}

export function integer(cells: Map<string, Cell>, col: string, min: number, max: number): number {
  const v = required(cells, col, 20);
  const n = Number(v);
  if (!/^\d+(\.0+)?$/.test(v) || n < min || n > max) throw new CellError(MSG.integer(col, v, min, max));
  return n;
}

/** An optional decimal number within [min, max]; null when the cell is empty. */
export function decimal(cells: Map<string, Cell>, col: string, min: number, max: number): number | null {
  const v = text(cells, col);
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new CellError(MSG.range(col, v, min, max));
  return n;
}

/** Days between Excel's epoch (1899-12-30, counting its 1900 leap-year bug) and 1970-01-01. */
const EXCEL_EPOCH_OFFSET_DAYS = 25569;

/**
 * An optional calendar date, returned as YYYY-MM-DD. Accepts YYYY-MM-DD, YYYY/M/D,
 * Excel date cells (ExcelJS gives a Date at UTC midnight) and Excel serial numbers.
 */
export function optionalDate(cells: Map<string, Cell>, col: string): string | null {
  const raw = cells.get(col);
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) throw new CellError(MSG.date(col, String(raw)));
    return isoDate(raw);
  }
  const v = text(cells, col);
  if (v === '') return null;
  if (/^\d{5}(\.\d+)?$/.test(v)) {
    return isoDate(new Date((Math.floor(Number(v)) - EXCEL_EPOCH_OFFSET_DAYS) * 86_400_000));
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v);
  if (!m) throw new CellError(MSG.date(col, v));
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1949 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    throw new CellError(MSG.date(col, v));
  }
  return isoDate(date);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A scope or link path "a/b/c": full-width slashes accepted, parts trimmed. */
export function pathParts(value: string): string[] {
  return value.split(/[/／]/).map((p) => p.trim());
}
