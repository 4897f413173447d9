import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';

export const DEMO_ROSTER = join(__dirname, '../../demo/roster');

/** Every roster table's rows, in id order: two equal snapshots mean nothing changed. */
export async function rosterSnapshot(db: DataSource): Promise<Record<string, unknown[]>> {
  const tables = ['regions', 'villages', 'units', 'unit_village_links', 'cadres', 'households', 'cadre_household_links', 'groups'];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) out[table] = await db.query(`SELECT * FROM ${table} ORDER BY 1`);
  return out;
}

/** Rewrites one CSV of a roster folder; `rows[0]` is the header (spreadsheet row 1). */
export async function withCsv(dir: string, file: string, change: (rows: string[][]) => void): Promise<void> {
  const rows: string[][] = parse(await readFile(join(dir, file), 'utf8'), { bom: true, relax_column_count: true });
  change(rows);
  await writeFile(join(dir, file), rows.map((r) => r.map(quote).join(',')).join('\n') + '\n');
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
