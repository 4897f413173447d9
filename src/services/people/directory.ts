import type { Db } from '../../lib/db';
import { LEADER_ROLES, ROLES, isLeaderRole } from '../../lib/roles';
import { placeName } from '../../lib/place';

/**
 * Lists of roster people and groups for pickers and the built-in simulator:
 * the demo login page, the demo chat's person picker, the simulator's members
 * and robot keys.
 */

export async function rosterIsEmpty(db: Db): Promise<boolean> {
  const [{ exists }] = await db.query('SELECT EXISTS (SELECT 1 FROM cadres) AS exists');
  return !exists;
}

export async function activeUserids(db: Db): Promise<string[]> {
  const rows: { userid: string }[] = await db.query('SELECT userid FROM cadres WHERE active');
  return rows.map((r) => r.userid);
}

/** Group robots' webhook keys and the groups' names. */
export async function groupRobots(db: Db): Promise<{ robotKey: string; name: string }[]> {
  return db.query('SELECT robot_key AS "robotKey", name FROM groups');
}

export interface LoginPerson {
  userid: string;
  name: string;
  role: string;
  scope: string | null;
  unit: string | null;
  /** Active people of this role on the roster, listed or not. */
  roleTotal: number;
}

/** Roles in the order the login page lists them: leaders and admins first, then the roster's order. */
const LOGIN_ROLE_ORDER: readonly string[] = [...LEADER_ROLES, ...ROLES.filter((r) => !isLeaderRole(r))];

/**
 * Every active person for the demo login page, role by role (leaders and admins
 * first, broadest scope first; the others in roster order), at most `perRole`
 * of each role so a province-sized roster still gives a page of names.
 */
export async function loginPeople(db: Db, perRole = 200): Promise<LoginPerson[]> {
  const rows: (Omit<LoginPerson, 'roleTotal'> & { roleTotal: string })[] = await db.query(
    `SELECT userid, name, role, scope, unit, total AS "roleTotal"
       FROM (SELECT c.userid, c.name, c.role, r.full_name AS scope, u.name AS unit,
                    row_number() OVER (PARTITION BY c.role ORDER BY r.level NULLS FIRST, c.id) AS n,
                    count(*) OVER (PARTITION BY c.role) AS total
               FROM cadres c LEFT JOIN regions r ON r.id = c.scope_region_id LEFT JOIN units u ON u.id = c.unit_id
              WHERE c.active) p
      WHERE n <= $2
      ORDER BY coalesce(array_position($1::text[], role), 99), role, n`,
    [LOGIN_ROLE_ORDER, perRole],
  );
  return rows.map((r) => ({ ...r, roleTotal: Number(r.roleTotal) }));
}

export interface PickerPerson {
  userid: string;
  name: string;
  role: string;
  unit: string | null;
  scope: string | null;
  /** The village the person's unit is linked to now, with coordinates (for "share location"). */
  village: { name: string; latitude: number; longitude: number } | null;
}

/** Active roster people, with the village their unit is linked to now. */
export async function pickerPeople(db: Db, limit: number): Promise<PickerPerson[]> {
  const rows: (Omit<PickerPerson, 'village'> & { village_name: string | null; latitude: number | null; longitude: number | null })[] =
    await db.query(
      `SELECT c.userid, c.name, c.role, u.name AS unit, s.full_name AS scope,
              v.full_name AS village_name, vv.latitude, vv.longitude
         FROM cadres c
         LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN regions s ON s.id = c.scope_region_id
         LEFT JOIN LATERAL (SELECT village_id FROM unit_village_links l
                             WHERE l.unit_id = c.unit_id AND l.valid_to IS NULL ORDER BY l.id LIMIT 1) l ON true
         LEFT JOIN regions v ON v.id = l.village_id
         LEFT JOIN villages vv ON vv.id = l.village_id
        WHERE c.active
        ORDER BY c.role, c.id
        LIMIT $1`,
      [limit],
    );
  return rows.map(({ village_name, latitude, longitude, ...p }) => ({
    ...p,
    village: village_name && latitude !== null && longitude !== null ? { name: placeName(village_name), latitude, longitude } : null,
  }));
}
