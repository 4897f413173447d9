import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SheetKind } from './sheets';
import { STAGE_COLUMNS, type StageValue } from './rows';

/**
 * TEMP staging tables (one per sheet, dropped at commit or rollback) filled by
 * COPY, so millions of rows reach PostgreSQL in one stream and everything after
 * is set-based SQL.
 */
export function stageTable(kind: SheetKind): string {
  return `st_${kind}`;
}

export function createStagingSql(): string {
  return (Object.keys(STAGE_COLUMNS) as SheetKind[])
    .map((kind) => {
      const cols = STAGE_COLUMNS[kind].map(([name, type]) => `${name} ${type}`).join(', ');
      return `CREATE TEMP TABLE ${stageTable(kind)} (${cols}) ON COMMIT DROP;`;
    })
    .join('\n');
}

/** Rows are buffered into chunks of about this many characters before each write. */
const CHUNK_CHARS = 256 * 1024;

/** A COPY … FROM STDIN into one staging table, fed one tuple at a time with backpressure. */
export class StageWriter {
  private buffer: string[] = [];
  private size = 0;
  private readonly stream: ReturnType<typeof copyFrom>;
  private failure: Error | null = null;

  constructor(client: PoolClient, kind: SheetKind) {
    const cols = STAGE_COLUMNS[kind].map(([name]) => name).join(', ');
    this.stream = client.query(copyFrom(`COPY ${stageTable(kind)} (${cols}) FROM STDIN`));
    this.stream.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  async write(values: StageValue[]): Promise<void> {
    const line = values.map(encode).join('\t') + '\n';
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.failure) throw this.failure;
  }
}

/** COPY text format: \N for null, t/f for booleans, backslash escapes for the rest. */
function encode(v: StageValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
