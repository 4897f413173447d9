/** Where the tests find PostgreSQL and Redis (the machine's own services). */
const PG_BASE = process.env.TEST_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
export const ADMIN_URL = `${PG_BASE}/postgres`;
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export function dbUrl(name: string): string {
  return `${PG_BASE}/${name}`;
}
