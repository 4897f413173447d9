import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value as COPY text format writes it; null and undefined become \N. */
export type Cell = string | number | boolean | null | undefined | Date;

/** Rows per chunk handed to the COPY stream: big enough to amortise, small enough to stream. */
const CHUNK_ROWS = 2_000;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function* chunks(rows: Iterable<Cell[]>, onRows: (n: number) => void): Generator<string> {
  let buf: string[] = [];
  for (const row of rows) {
    buf.push(row.map(cell).join('\t'));
    if (buf.length === CHUNK_ROWS) {
      yield buf.join('\n') + '\n';
      onRows(buf.length);
      buf = [];
    }
  }
  if (buf.length > 0) {
    yield buf.join('\n') + '\n';
    onRows(buf.length);
  }
}

/** Streams generated rows into `table` with COPY FROM STDIN; returns the row count. */
export async function copyRows(
  client: Client,
  table: string,
  columns: string[],
  rows: Iterable<Cell[]>,
  onRows: (n: number) => void = () => undefined,
): Promise<number> {
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows, onRows)), sink);
  return sink.rowCount;
}
