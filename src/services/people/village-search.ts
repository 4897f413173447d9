import type { Db } from '../../lib/db';

/**
 * The village lookups behind the chat's village resolver (bots/resolve-village.ts):
 * each branch is an index probe (see the chat-lookups migration). The resolver
 * ranks what these return.
 */

export interface VillageRow {
  id: number;
  name: string;
  fullName: string;
  aliases: string[];
  initials: string;
}

const SELECT = `SELECT r.id, r.name, r.full_name AS "fullName", v.aliases, v.initials
                  FROM villages v JOIN regions r ON r.id = v.id`;
/**
 * The candidates of an id list: `= ANY (ARRAY(…))` makes the list an InitPlan
 * probed by primary key. Joined as a CTE instead, the list's estimate had
 * PostgreSQL hash it against a scan of every village. Aliases are probed one
 * form at a time for the same reason: `aliases && <a dozen forms>` is
 * over-estimated and reads every village instead of the GIN index.
 */
const candidatesOf = (ids: string) => `${SELECT} WHERE v.id = ANY (ARRAY(${ids}))`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Every village a typed spec could mean: exact names and aliases among `forms`,
 * the sender's linked villages, and unless strict, pinyin initials equal to
 * the spec and names starting with it.
 */
export async function villageCandidates(
  db: Db, q: { forms: string[]; prefix: string; linkedIds: number[]; strict: boolean },
): Promise<VillageRow[]> {
  return db.query(
    candidatesOf(`
       SELECT id FROM regions WHERE level = 4 AND name = ANY($1::text[])
       UNION SELECT x.id FROM unnest($1::text[]) f(form), LATERAL (SELECT id FROM villages WHERE aliases @> ARRAY[f.form]) x
       UNION SELECT unnest($3::int[])
       UNION SELECT id FROM villages WHERE NOT $4 AND initials = lower($5)
       UNION SELECT id FROM regions WHERE NOT $4 AND level = 4 AND name LIKE $2`),
    [q.forms, `${likeEscape(q.prefix)}%`, q.linkedIds, q.strict, q.prefix],
  );
}

/** Up to 100 villages per leading character, for suggestions when nothing matched. */
export async function villagesStartingWith(db: Db, starts: string[]): Promise<VillageRow[]> {
  if (starts.length === 0) return [];
  return db.query(
    candidatesOf(starts.map((_, i) => `(SELECT id FROM regions WHERE level = 4 AND name LIKE $${i + 1} LIMIT 100)`).join(' UNION ')),
    starts.map((c) => `${likeEscape(c)}%`),
  );
}

export async function villageById(db: Db, id: number): Promise<VillageRow | null> {
  const rows: VillageRow[] = await db.query(`${SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ?? null;
}
