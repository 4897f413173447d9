import type { EntityManager } from 'typeorm';
import { addToOutboxFrom } from '../outbox/write';
import { baseParams, HOUSEHOLD_LINE_FORMAT, type StandingTargets } from './cadre-standing';
import { householdLinkSql } from './pace-sql';

/**
 * The weekly pace reminders to cadres (jobs/quota-reminders.ts), rendered and
 * written to the outbox in SQL: at province scale every one of 500,000 cadres
 * is behind on some of 5 million 联户 links, and reading their lines into Node
 * to render them and send them back costs more than the scan itself.
 *
 * Two statements. The first files each cadre's household lines in a
 * transaction-local table: one pass over every link (parallel workers: a
 * CREATE TABLE … AS may use them, an INSERT … SELECT may not), ranked by
 * household within each cadre, the first few with the householder's name
 * rendered by HOUSEHOLD_LINE_FORMAT (the householders' names joined in the
 * parallel pass, so nothing is sorted again after the ranking). The second
 * joins them with the lines the job computed in Node (a few thousand resident
 * team members: their unit's villages, their own days) and inserts one message
 * per active cadre, in no particular order (sorting half a million rendered
 * messages would spill to disk; delivery takes the ids in order).
 */

export interface QuotaTexts {
  /** First line of every message. */
  head: string;
  /** Last line. */
  tail: string;
  /** Prefix of each listed household's line (before HOUSEHOLD_LINE_FORMAT). */
  bullet: string;
  /** format() string of the line counting the households not listed: one %s, their number. */
  more: string;
}

/** Lines from Node for one cadre: before the household lines, and after them. */
export interface ExtraLines {
  cadreId: number;
  before: string[];
  after: string[];
}

/** The transaction-local table of each cadre's household lines. */
const LINES = 'quota_household_lines';

/**
 * Writes `<keyPrefix><cadre id>` text messages for every active cadre behind
 * on a 联户 link or given extra lines. Returns how many cadres that is and the
 * ids of the outbox rows inserted now (a key already present is skipped).
 */
export async function queueQuotaMessages(
  manager: EntityManager, now: Date, t: StandingTargets,
  { keyPrefix, listed, texts, extra }: { keyPrefix: string; listed: number; texts: QuotaTexts; extra: ExtraLines[] },
): Promise<{ cadres: number; ids: number[] }> {
  await manager.query(`DROP TABLE IF EXISTS ${LINES}`);
  await manager.query(
    `CREATE TEMP TABLE ${LINES} ON COMMIT DROP AS
     WITH b AS (${householdLinkSql('', { behindOnly: true, ordered: false, householder: true, activeOnly: false })}),
     ranked AS (
       SELECT b.*, row_number() OVER (PARTITION BY b.cadre_id ORDER BY b.household_id, b.link_id) AS n,
              count(*) OVER (PARTITION BY b.cadre_id) AS behind
         FROM b)
     SELECT r.cadre_id, max(r.behind)::int AS behind,
            string_agg($9::text || format($10::text, r.householder, r.visits, r.days, r.talks,
                                          r.required_visits, r.required_days, r.required_talks), E'\\n' ORDER BY r.n) AS lines
       FROM ranked r
      WHERE r.n <= $8::int
      GROUP BY r.cadre_id`,
    [...baseParams(now), t.householdVisits, t.householdDays, t.householdTalks, listed, texts.bullet, HOUSEHOLD_LINE_FORMAT],
  );
  await manager.query(`ANALYZE ${LINES}`);
  const joined = `
    FROM ${LINES} q
    FULL JOIN unnest($1::int[], $2::text[], $3::text[]) AS e(cadre_id, before, after) ON e.cadre_id = q.cadre_id
    JOIN cadres c ON c.id = coalesce(q.cadre_id, e.cadre_id) AND c.active`;
  const lines = (ls: string[]) => (ls.length === 0 ? null : ls.join('\n'));
  const params = [extra.map((e) => e.cadreId), extra.map((e) => lines(e.before)), extra.map((e) => lines(e.after))];
  const ids = await addToOutboxFrom(manager, `
    SELECT $4::text || c.id, 'app', c.userid, jsonb_build_object('msgtype', 'text', 'text', jsonb_build_object('content',
             concat_ws(E'\\n', $5::text, e.before, q.lines,
                       CASE WHEN q.behind > $7::int THEN format($6::text, q.behind - $7::int) END, e.after, $8::text)))
    ${joined}`,
  [...params, keyPrefix, texts.head, texts.more, listed, texts.tail]);
  const [{ cadres }]: { cadres: number }[] = await manager.query(`SELECT count(*)::int AS cadres ${joined}`, params);
  await manager.query(`DROP TABLE ${LINES}`);
  return { cadres, ids };
}
