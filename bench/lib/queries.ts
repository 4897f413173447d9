import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Watching the SQL a service runs, without touching the service: a proxy over
 * the DataSource / EntityManager records every `query()` call with its time,
 * and each recorded statement can be re-run under EXPLAIN (ANALYZE, BUFFERS).
 */
export interface RecordedQuery {
  sql: string;
  params: unknown[];
  ms: number;
}

export function recording<T extends DataSource | EntityManager>(db: T, log: RecordedQuery[]): T {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        // db.transaction(fn) or db.transaction(isolation, fn): record inside it too
        return (...args: unknown[]) => {
          const fn = args[args.length - 1] as (m: EntityManager) => Promise<unknown>;
          const wrapped = (m: EntityManager) => fn(recording(m, log));
          return (target as DataSource).transaction(...([...args.slice(0, -1), wrapped] as [typeof wrapped]));
        };
      }
      if (prop === 'query') {
        return async (sql: string, params: unknown[] = []) => {
          const t0 = performance.now();
          const out = await (target as DataSource).query(sql, params);
          log.push({ sql, params, ms: performance.now() - t0 });
          return out;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Milliseconds of `fn`, and its value. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: Math.round((performance.now() - t0) * 10) / 10, value };
}

/** Relative to the repository root, where the npm scripts run. */
export const PLANS_DIR = join(process.cwd(), 'bench', 'plans');

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the slowest recorded statements, saved as
 * bench/plans/<name>.txt (SQL, parameters, plan). Runs inside a rolled-back
 * transaction, so statements that write leave nothing behind.
 */
export async function savePlans(db: DataSource, name: string, queries: RecordedQuery[], top = 3): Promise<string> {
  // session settings the service made (SET LOCAL jit = off …) are replayed before each EXPLAIN
  const settings = [...new Set(queries.filter((q) => /^\s*SET\s/i.test(q.sql)).map((q) => q.sql))];
  const slowest = [...queries].filter((q) => !/^\s*(SET|SAVEPOINT|RELEASE|START|COMMIT|BEGIN)\b/i.test(q.sql))
    .sort((a, b) => b.ms - a.ms).slice(0, top);
  const parts: string[] = [];
  for (const q of slowest) {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      for (const set of settings) await runner.query(set);
      const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
      parts.push(
        `-- ${q.ms.toFixed(1)} ms when the service ran it${settings.length ? `; replayed first: ${settings.join(' ')}` : ''}\n${q.sql.trim()}\n-- params: ${JSON.stringify(q.params)}\n\n` +
          rows.map((r) => r['QUERY PLAN']).join('\n'),
      );
    } finally {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
  mkdirSync(PLANS_DIR, { recursive: true });
  const file = join(PLANS_DIR, `${name}.txt`);
  writeFileSync(file, parts.join('\n\n' + '='.repeat(100) + '\n\n') + '\n');
  return file;
}
