import type { PoolClient } from 'pg';
import { scopeFullName } from './apply-places';
import type { SheetReport } from './types';

/**
 * Writes units and their 联村 links, cadres, households and their 联户 links
 * from the staging tables, set-based. Updates and inserts are separate
 * statements (not INSERT … ON CONFLICT) so a re-import burns no identity values.
 * Links: `today` closes (valid_to, exclusive) and `yearStart` opens undated links.
 */
export interface LinkDays {
  today: string;
  yearStart: string;
}

async function count(q: PoolClient, sql: string): Promise<number> {
  const { rows } = await q.query<{ n: string }>(sql);
  return Number(rows[0].n);
}

/**
 * Opens, re-dates and closes links for the pairs in `pairs` (owner_id, target_id, valid_from).
 * `closeWhere` picks the open links the file replaces; `carry` names a further column of
 * `pairs` stored on new links.
 */
async function syncLinks(
  q: PoolClient,
  days: LinkDays,
  t: { table: string; owner: string; target: string; pairs: string; closeWhere: string; carry?: string },
  report: SheetReport,
): Promise<void> {
  const closed = await q.query(
    `UPDATE ${t.table} l SET valid_to = GREATEST(l.valid_from, $1::date) WHERE l.valid_to IS NULL AND ${t.closeWhere}`,
    [days.today],
  );
  const redated = await q.query(
    `UPDATE ${t.table} l SET valid_from = p.valid_from FROM ${t.pairs} p
      WHERE l.${t.owner} = p.owner_id AND l.${t.target} = p.target_id AND l.valid_to IS NULL
        AND p.valid_from IS NOT NULL AND l.valid_from <> p.valid_from`,
  );
  // An undated link counts from 1 January of the year it is first imported; an open one keeps its date.
  const opened = await q.query(
    `INSERT INTO ${t.table} (${t.owner}, ${t.target}, valid_from${t.carry ? `, ${t.carry}` : ''})
     SELECT p.owner_id, p.target_id, COALESCE(p.valid_from, $1::date)${t.carry ? `, p.${t.carry}` : ''} FROM ${t.pairs} p
      WHERE NOT EXISTS (SELECT 1 FROM ${t.table} l
                         WHERE l.${t.owner} = p.owner_id AND l.${t.target} = p.target_id AND l.valid_to IS NULL)
      ORDER BY p.target_id, p.owner_id`,
    [days.yearStart],
  );
  report.linksClosed += closed.rowCount ?? 0;
  report.linksRedated += redated.rowCount ?? 0;
  report.linksOpened += opened.rowCount ?? 0;
}

/** Units named in the file, and their links: villages a listed unit no longer lists are closed. */
export async function applyUnits(q: PoolClient, days: LinkDays, report: SheetReport): Promise<void> {
  const created = await q.query(
    `INSERT INTO units (name) SELECT DISTINCT unit FROM st_units s
      WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.name = s.unit)`,
  );
  report.created = created.rowCount ?? 0;
  report.unchanged = (await count(q, 'SELECT count(DISTINCT unit) AS n FROM st_units')) - report.created;
  await q.query(`CREATE TEMP TABLE ul ON COMMIT DROP AS
    SELECT u.id AS owner_id, vid.id AS target_id, s.valid_from
      FROM st_units s JOIN units u ON u.name = s.unit JOIN vid USING (county, township, village);
    ANALYZE ul`);
  await syncLinks(q, days, {
    table: 'unit_village_links',
    owner: 'unit_id',
    target: 'village_id',
    pairs: 'ul',
    closeWhere: `l.unit_id IN (SELECT owner_id FROM ul)
      AND NOT EXISTS (SELECT 1 FROM ul WHERE ul.owner_id = l.unit_id AND ul.target_id = l.village_id)`,
  }, report);
}

/** Cadres named in the file: name, mobile, unit, role, scope and a team member's 驻村 stay follow the file. */
export async function applyCadres(q: PoolClient, report: SheetReport): Promise<void> {
  await q.query(`CREATE TEMP TABLE sc ON COMMIT DROP AS
    SELECT s.userid, s.name, s.mobile, u.id AS unit_id, s.role, r.id AS scope_id,
           rv.id AS resident_village_id, s.res_from AS resident_from, s.res_to AS resident_to
      FROM st_cadres s LEFT JOIN units u ON u.name = s.unit
      LEFT JOIN regions r ON s.scope IS NOT NULL AND r.full_name = ${scopeFullName('s.scope')}
      LEFT JOIN vid rv ON rv.county = s.res_county AND rv.township = s.res_township AND rv.village = s.res_village;
    ANALYZE sc`);
  const updated = await q.query(
    `UPDATE cadres c SET name = sc.name, mobile = sc.mobile, unit_id = sc.unit_id, role = sc.role,
            scope_region_id = sc.scope_id, active = true, resident_village_id = sc.resident_village_id,
            resident_from = sc.resident_from, resident_to = sc.resident_to
       FROM sc WHERE c.userid = sc.userid
        AND (c.name, c.mobile, c.unit_id, c.role, c.scope_region_id, c.active, c.resident_village_id, c.resident_from, c.resident_to)
            IS DISTINCT FROM (sc.name, sc.mobile, sc.unit_id, sc.role, sc.scope_id, true, sc.resident_village_id, sc.resident_from, sc.resident_to)`,
  );
  const created = await q.query(
    `INSERT INTO cadres (userid, name, mobile, unit_id, role, scope_region_id, resident_village_id, resident_from, resident_to)
     SELECT userid, name, mobile, unit_id, role, scope_id, resident_village_id, resident_from, resident_to FROM sc
      WHERE NOT EXISTS (SELECT 1 FROM cadres c WHERE c.userid = sc.userid)`,
  );
  report.created = created.rowCount ?? 0;
  report.updated = updated.rowCount ?? 0;
  report.unchanged = report.rows - report.created - report.updated;
}

/**
 * Households keyed by (village, 户主); a household now linked to another cadre
 * moves its link, and one listed without a 联户干部账号 is unlinked (its open link closed).
 */
export async function applyHouseholds(q: PoolClient, days: LinkDays, report: SheetReport): Promise<void> {
  await q.query(`CREATE TEMP TABLE hh ON COMMIT DROP AS
    SELECT vid.id AS village_id, s.householder, s.category, s.size, c.id AS cadre_id, s.valid_from, s.poverty_cause, s.aid_status
      FROM st_households s JOIN vid USING (county, township, village) LEFT JOIN cadres c ON c.userid = s.userid;
    ANALYZE hh`);
  const updated = await q.query(
    `UPDATE households h SET category = hh.category, size = hh.size, poverty_cause = hh.poverty_cause, aid_status = hh.aid_status
       FROM hh
      WHERE h.village_id = hh.village_id AND h.householder = hh.householder
        AND (h.category, h.size, h.poverty_cause, h.aid_status) IS DISTINCT FROM (hh.category, hh.size, hh.poverty_cause, hh.aid_status)`,
  );
  // A new household is covered from the start of the link opened for it below, as the link's
  // coverage trigger would set it: written here, that trigger finds nothing to change, instead
  // of rewriting every household of a first import a second time.
  const created = await q.query(
    `INSERT INTO households (village_id, householder, category, size, poverty_cause, aid_status, covered_since)
     SELECT village_id, householder, category, size, poverty_cause, aid_status,
            CASE WHEN cadre_id IS NULL THEN 'infinity' ELSE COALESCE(valid_from, $1::date) END FROM hh
      WHERE NOT EXISTS (SELECT 1 FROM households h WHERE h.village_id = hh.village_id AND h.householder = hh.householder)
      ORDER BY village_id, householder`, // in index order: btree inserts stay in cache
    [days.yearStart],
  );
  report.created = created.rowCount ?? 0;
  report.updated = updated.rowCount ?? 0;
  report.unchanged = report.rows - report.created - report.updated;
  await q.query(`CREATE TEMP TABLE hl ON COMMIT DROP AS
    SELECT h.id AS target_id, hh.cadre_id AS owner_id, hh.valid_from, hh.village_id
      FROM hh JOIN households h ON h.village_id = hh.village_id AND h.householder = hh.householder;
    ANALYZE hl`);
  await syncLinks(q, days, {
    table: 'cadre_household_links',
    owner: 'cadre_id',
    target: 'household_id',
    pairs: '(SELECT * FROM hl WHERE owner_id IS NOT NULL)',
    carry: 'village_id', // the link trigger then skips looking the village up for each new link
    closeWhere: `EXISTS (SELECT 1 FROM hl WHERE hl.target_id = l.household_id AND hl.owner_id IS DISTINCT FROM l.cadre_id)`,
  }, report);
}
