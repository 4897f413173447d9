import { photoUrl, thumbUrl } from '../photos/query';
import { placeName } from '../../lib/place';
import { consoleRead } from './read';
import type { SubjectKind } from './record-subjects';
import type { Db } from '../../lib/db';

/**
 * The records of a record page's subject over a period, newest first, a page
 * at a time: check-ins (签到), household visits (走访) with their text, 民情日记,
 * problems, photos and 六送 help acts. Each list is read through the index of
 * its subject and time (village, unit, cadre or household, then the time), so
 * a page costs the subject's rows in the period, never a scan of everyone's.
 * Undone (revoked) records are left out.
 *
 * Whose records: a village's are those made at it; a unit's are those its
 * cadres made while in it (check-ins, diaries and 六送 record the unit at the
 * time; household visits go by the unit's present cadres), and the problems
 * it reported or owns; a cadre's are their own (problems reported or owned);
 * a household's are its 走访 and 六送.
 */

export const RECORD_LISTS = ['visits', 'householdVisits', 'diary', 'problems', 'photos', 'help'] as const;
export type RecordList = (typeof RECORD_LISTS)[number];

/** Which lists a subject has: no check-ins, diary or problems belong to a household. */
export const LISTS_OF: Record<SubjectKind, readonly RecordList[]> = {
  village: RECORD_LISTS, unit: RECORD_LISTS, cadre: RECORD_LISTS, household: ['householdVisits', 'photos', 'help'],
};

/** $1 is the subject's id. */
const FILTERS: Record<RecordList, Partial<Record<SubjectKind, string>>> = {
  visits: { village: 'x.village_id = $1', unit: 'x.unit_id = $1', cadre: 'x.cadre_id = $1' },
  householdVisits: {
    village: 'x.village_id = $1', cadre: 'x.cadre_id = $1', household: 'x.household_id = $1',
    unit: 'x.cadre_id IN (SELECT id FROM cadres WHERE unit_id = $1)',
  },
  diary: { village: 'x.village_id = $1', unit: 'x.unit_id = $1', cadre: 'x.cadre_id = $1' },
  problems: {
    village: 'x.village_id = $1', unit: '(x.reporter_unit_id = $1 OR x.owner_unit_id = $1)',
    cadre: '(x.reporter_id = $1 OR x.owner_cadre_id = $1)',
  },
  help: { village: 'x.village_id = $1', unit: 'x.unit_id = $1', cadre: 'x.cadre_id = $1', household: 'x.household_id = $1' },
  photos: {},
};

/** Per list: its table, its time column, and the columns shown (x is the record, c its cadre, r its village). */
const LISTS: Record<Exclude<RecordList, 'photos'>, { table: string; at: string; columns: string }> = {
  visits: {
    table: 'visits', at: 'started_at',
    columns: `x.started_at AS at, x.ended_at AS "endedAt", x.duration_minutes AS "durationMinutes", x.verified, x.source, x.auto_closed AS "autoClosed",
              u.name AS unit, (SELECT count(*)::int FROM photos p WHERE p.visit_id = x.id AND p.status = 'stored') AS photos`,
  },
  householdVisits: {
    table: 'household_visits', at: 'visited_at',
    columns: `x.visited_at AS at, x.talk, x.note, x.household_id AS "householdId", h.householder,
              (SELECT count(*)::int FROM photos p WHERE p.household_visit_id = x.id AND p.status = 'stored') AS photos`,
  },
  diary: { table: 'diary_entries', at: 'created_at', columns: 'x.created_at AS at, x.content' },
  problems: {
    table: 'problems', at: 'reported_at',
    columns: `x.reported_at AS at, x.code, x.description, x.category, x.status, to_char(x.deadline, 'YYYY-MM-DD') AS deadline, x.closed_at AS "closedAt"`,
  },
  help: {
    table: 'help_acts', at: 'acted_at',
    columns: `x.acted_at AS at, x.kind, x.note, x.amount_yuan::float8 AS "amountYuan", x.household_id AS "householdId", h.householder`,
  },
};

const JOINS: Record<Exclude<RecordList, 'photos'>, string> = {
  visits: 'LEFT JOIN units u ON u.id = x.unit_id',
  householdVisits: 'JOIN households h ON h.id = x.household_id',
  diary: '',
  problems: '',
  help: 'JOIN households h ON h.id = x.household_id',
};

export interface RecordRow {
  id: number;
  at: Date;
  cadreId: number | null;
  cadre: string | null;
  villageId: number | null;
  place: string | null;
  [column: string]: unknown;
}

export interface Period { from: Date; to: Date }

export async function recordPage(
  db: Db, kind: SubjectKind, id: number, list: RecordList, period: Period, page: { limit: number; offset: number },
): Promise<{ total: number; rows: RecordRow[] }> {
  if (!LISTS_OF[kind].includes(list)) return { total: 0, rows: [] };
  if (list === 'photos') return photoPage(db, kind, id, period, page);
  const l = LISTS[list];
  const cadreCol = list === 'problems' ? 'reporter_id' : 'cadre_id';
  const where = `${FILTERS[list][kind]} AND x.${l.at} >= $2 AND x.${l.at} < $3 AND x.revoked_at IS NULL`;
  return consoleRead(db, async (m) => {
    const [{ total }]: { total: number }[] = await m.query(`SELECT count(*)::int AS total FROM ${l.table} x WHERE ${where}`, [id, period.from, period.to]);
    const rows: (RecordRow & { full_name: string | null })[] = total === 0 ? [] : await m.query(
      `SELECT x.id, ${l.columns}, c.id AS "cadreId", c.name AS cadre, x.village_id AS "villageId", r.full_name
         FROM (SELECT * FROM ${l.table} x WHERE ${where} ORDER BY x.${l.at} DESC, x.id DESC LIMIT $4 OFFSET $5) x
         LEFT JOIN cadres c ON c.id = x.${cadreCol} LEFT JOIN regions r ON r.id = x.village_id ${JOINS[list]}
        ORDER BY x.${l.at} DESC, x.id DESC`,
      [id, period.from, period.to, page.limit, page.offset],
    );
    return { total, rows: rows.map(({ full_name, ...r }) => ({ ...r, place: full_name && placeName(full_name) })) };
  });
}

/**
 * Photos of the subject's check-ins, household visits and problems of the period
 * (by the record's time), through each record's photo index; stored ones only.
 */
async function photoPage(db: Db, kind: SubjectKind, id: number, period: Period, page: { limit: number; offset: number }) {
  const parts: string[] = [];
  const part = (list: 'visits' | 'householdVisits' | 'problems', column: string) => {
    const f = FILTERS[list][kind];
    const l = LISTS[list];
    if (f) {
      parts.push(`SELECT p.id, p.cadre_id, p.created_at, p.kind, x.village_id FROM ${l.table} x JOIN photos p ON p.${column} = x.id
                   WHERE ${f} AND x.${l.at} >= $2 AND x.${l.at} < $3 AND x.revoked_at IS NULL AND p.status = 'stored'`);
    }
  };
  part('visits', 'visit_id');
  part('householdVisits', 'household_visit_id');
  part('problems', 'problem_id');
  return consoleRead(db, async (m) => {
    const rows: (RecordRow & { full_name: string; total: number })[] = await m.query(
      `WITH ph AS (${parts.join(' UNION ALL ')})
       SELECT ph.id, ph.created_at AS at, ph.kind, c.id AS "cadreId", c.name AS cadre, ph.village_id AS "villageId", r.full_name,
              count(*) OVER ()::int AS total
         FROM ph JOIN cadres c ON c.id = ph.cadre_id JOIN regions r ON r.id = ph.village_id
        ORDER BY ph.created_at DESC, ph.id DESC LIMIT $4 OFFSET $5`,
      [id, period.from, period.to, page.limit, page.offset],
    );
    return {
      total: rows[0]?.total ?? 0,
      rows: rows.map(({ full_name, total: _t, ...r }) => ({ ...r, place: placeName(full_name), url: photoUrl(r.id), thumbUrl: thumbUrl(r.id) })),
    };
  });
}
