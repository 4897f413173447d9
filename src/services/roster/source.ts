import { stat } from 'node:fs/promises';
import type { Cell, SheetRow, SheetSpec } from './sheets';

/** One sheet of a roster being read: its spec, the name the operator knows, its header, its rows. */
export interface SheetInput {
  spec: SheetSpec;
  /** File name (folder rosters) or sheet name (.xlsx), used in error lines. */
  source: string;
  headers: string[];
  rows: AsyncIterable<SheetRow>;
}

/** A roster source: sheets in the order they are stored, streamed. */
export interface RosterSource {
  /** Bytes the source will read in total, for the progress bar. */
  totalBytes: number;
  sheets(onBytes: (n: number) => void): AsyncIterable<SheetInput>;
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

/** Header cells: trimmed, BOM and full-width spaces removed. */
export function cleanHeader(value: unknown): string {
  return String(value ?? '').replace(/^\uFEFF/, '').replace(/\u3000/g, ' ').trim();
}

/** Maps a row of cells onto the header; null when every cell is empty (blank rows are skipped). */
export function rowCells(headers: string[], values: readonly Cell[], offset = 0): Map<string, Cell> | null {
  const cells = new Map<string, Cell>();
  let empty = true;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    if (!h) continue;
    const v = values[i + offset] ?? '';
    if (v instanceof Date || v.trim() !== '') empty = false;
    cells.set(h, v);
  }
  return empty ? null : cells;
}
