import type { EntityManager } from 'typeorm';
import { Problem, ProblemEvent, type Cadre, type ProblemEventKind } from '../../../entities';
import { isLeader } from '../people/cadres';
import { linkedVillages, unitForVillage } from '../people/links';
import { subtreeLike } from '../people/regions';
import { getRule } from '../rules/rules';
import { assertCloseEvidence } from '../photos/policy';
import { categorize, requireCategory } from './categories';
import { AppError } from '../../lib/errors';
import { addDays, shanghaiDate, shanghaiYear } from '../../lib/time';
import { TEAM_LEADER_ROLES } from '../../lib/roles';

/**
 * 问题台账: report → numbered problem with an owner and a deadline → 销号.
 * Codes are W<year>-<4-digit sequence>, numbered per Shanghai year.
 */

type Actor = Pick<Cadre, 'id' | 'unitId' | 'role' | 'scopeRegionId'>;

const NEED_DESCRIPTION = '请输入问题描述。正确格式：上报 [村名] [类别] 问题描述，例如：上报 丁门村 饮水安全 水管冻裂';

export async function addProblemEvent(
  manager: EntityManager, problemId: number, kind: ProblemEventKind, actorId: number | null, at: Date, note = '',
): Promise<void> {
  const repo = manager.getRepository(ProblemEvent);
  await repo.save(repo.create({ problemId, kind, actorId, note, at }));
}

async function nextCode(manager: EntityManager, year: number): Promise<string> {
  // Serialises numbering per year across processes until the transaction ends.
  await manager.query("SELECT pg_advisory_xact_lock(hashtext('problems.code'), $1)", [year]);
  // Same expressions and predicate as problems_code_seq_idx, so max() is one index probe.
  const rows: { n: number | null }[] = await manager.query(
    `SELECT max(substring(code from 7)::int) AS n FROM problems
      WHERE code ~ '^W[0-9]{4}-[0-9]+$' AND substring(code from 2 for 4)::int = $1`,
    [year],
  );
  return `W${year}-${String((rows[0].n ?? 0) + 1).padStart(4, '0')}`;
}

/**
 * Owner: the reporter when linked to the village, else a team leader (队长 or
 * 第一书记) of the village's linked unit; the unit is always the linked unit.
 */
async function ownerFor(manager: EntityManager, reporter: Actor, villageId: number, now: Date) {
  const unitId = await unitForVillage(manager, villageId, now);
  if ((await linkedVillages(manager, reporter, now)).some((v) => v.id === villageId)) {
    return { ownerCadreId: reporter.id, ownerUnitId: unitId };
  }
  if (unitId === null) return { ownerCadreId: null, ownerUnitId: null };
  const lead: { id: number }[] = await manager.query(
    'SELECT id FROM cadres WHERE unit_id = $1 AND active AND role = ANY($2::text[]) ORDER BY id LIMIT 1', [unitId, TEAM_LEADER_ROLES]);
  return { ownerCadreId: lead[0]?.id ?? null, ownerUnitId: unitId };
}

/** A new problem's deadline, and a reopened one's: today + 'problem.deadline_days'. */
async function deadlineFrom(manager: EntityManager, now: Date): Promise<string> {
  return addDays(shanghaiDate(now), await getRule(manager, 'problem.deadline_days'));
}

/**
 * Opens a problem. `text` may start with a category name (饮水安全 水管冻裂); else the
 * category comes from its keywords (categories.ts). Throws 'need_description' when
 * nothing but a category is given.
 */
export async function reportProblem(
  manager: EntityManager,
  input: { reporter: Actor; villageId: number; text: string; now: Date },
): Promise<Problem> {
  const { reporter, villageId, now } = input;
  const { category, description } = await categorize(manager, input.text);
  if (description === '') throw new AppError('need_description', 'a category without a description', NEED_DESCRIPTION, 400);
  const repo = manager.getRepository(Problem);
  const problem = await repo.save(repo.create({
    code: await nextCode(manager, shanghaiYear(now)),
    villageId,
    reporterId: reporter.id,
    ...(await ownerFor(manager, reporter, villageId, now)),
    description,
    category,
    status: 'open',
    deadline: await deadlineFrom(manager, now),
    reportedAt: now,
  }));
  await addProblemEvent(manager, problem.id, 'reported', reporter.id, now);
  return problem;
}

/** "W2026-0012", "2026-12", "12" (this year) → the stored code; null when it cannot be one. */
export function normalizeCode(text: string, now: Date): string | null {
  const t = text.trim().toUpperCase();
  const full = /^W?(\d{4})-(\d{1,6})$/.exec(t);
  if (full) return `W${full[1]}-${full[2].padStart(4, '0')}`;
  const short = /^(\d{1,6})$/.exec(t);
  if (short) return `W${shanghaiYear(now)}-${short[1].padStart(4, '0')}`;
  return null;
}

async function leaderHolds(manager: EntityManager, actor: Actor, villageId: number): Promise<boolean> {
  if (!isLeader(actor) || actor.scopeRegionId === null) return false;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM regions s, regions v WHERE s.id = $1 AND v.id = $2 AND v.path LIKE s.path || '%'`,
    [actor.scopeRegionId, villageId],
  );
  return rows.length > 0;
}

/** What 销号 and 重开 report back; `need_note` when the 整改说明 (or the reason) is missing. */
export type LedgerActResult =
  | { kind: 'not_found' }
  | { kind: 'revoked'; problem: Problem }
  | { kind: 'forbidden'; problem: Problem }
  | { kind: 'already_closed'; problem: Problem }
  | { kind: 'not_closed'; problem: Problem }
  | { kind: 'need_note'; problem: Problem }
  | { kind: 'closed'; problem: Problem }
  | { kind: 'reopened'; problem: Problem };

/** The reporter, the owner (or, without an owner cadre, the owner unit's cadres), or a leader whose scope holds the village. */
async function mayAct(manager: EntityManager, actor: Actor, problem: Problem): Promise<boolean> {
  return problem.reporterId === actor.id
    || problem.ownerCadreId === actor.id
    || (problem.ownerCadreId === null && problem.ownerUnitId !== null && problem.ownerUnitId === actor.unitId)
    || leaderHolds(manager, actor, problem.villageId);
}

/** The problem by code, locked, once the actor may act on it; else why not. */
async function lockForAct(
  manager: EntityManager, actor: Actor, code: string,
): Promise<{ kind: 'not_found' } | { kind: 'revoked'; problem: Problem } | { kind: 'forbidden'; problem: Problem } | { kind: 'ok'; problem: Problem }> {
  const problem = await manager.getRepository(Problem).createQueryBuilder('p')
    .where('p.code = :code', { code }).setLock('pessimistic_write').getOne();
  if (!problem) return { kind: 'not_found' };
  if (problem.status === 'revoked') return { kind: 'revoked', problem };
  if (!(await mayAct(manager, actor, problem))) return { kind: 'forbidden', problem };
  return { kind: 'ok', problem };
}

/** 销号 with its 整改说明 (required, in the chat and the console alike). */
export async function closeProblem(
  manager: EntityManager,
  input: { actor: Actor; code: string; note: string; now: Date },
): Promise<LedgerActResult> {
  const found = await lockForAct(manager, input.actor, input.code);
  if (found.kind !== 'ok') return found;
  const { problem } = found;
  if (problem.status === 'closed') return { kind: 'already_closed', problem };
  const note = input.note.trim();
  if (note === '') return { kind: 'need_note', problem };
  await assertCloseEvidence(manager, problem); // per-category photo rule; throws a 409 shown to the user
  problem.status = 'closed';
  problem.closedAt = input.now;
  problem.closedById = input.actor.id;
  problem.closeNote = note;
  await manager.getRepository(Problem).save(problem);
  await addProblemEvent(manager, problem.id, 'closed', input.actor.id, input.now, note);
  return { kind: 'closed', problem };
}

/**
 * 重开: a closed problem is open again with a new deadline (today + 'problem.deadline_days'),
 * recorded as a 'reopened' event with the reason and {deadline}. The same people as 销号 may.
 */
export async function reopenProblem(
  manager: EntityManager,
  input: { actor: Actor; code: string; reason: string; now: Date },
): Promise<LedgerActResult> {
  const found = await lockForAct(manager, input.actor, input.code);
  if (found.kind !== 'ok') return found;
  const { problem } = found;
  if (problem.status !== 'closed') return { kind: 'not_closed', problem };
  const reason = input.reason.trim();
  if (reason === '') return { kind: 'need_note', problem };
  problem.status = 'open';
  problem.deadline = await deadlineFrom(manager, input.now);
  problem.closedAt = null;
  problem.closedById = null;
  problem.closeNote = null;
  await manager.getRepository(Problem).save(problem);
  const repo = manager.getRepository(ProblemEvent);
  await repo.save(repo.create({
    problemId: problem.id, kind: 'reopened', actorId: input.actor.id, note: reason, data: { deadline: problem.deadline }, at: input.now,
  }));
  return { kind: 'reopened', problem };
}

/** The console's change of a problem's category, by the people who may close it; recorded as a 'categorized' event. */
export async function setProblemCategory(
  manager: EntityManager,
  input: { actor: Actor; code: string; category: string; now: Date },
): Promise<'not_found' | 'revoked' | 'forbidden' | 'set'> {
  await requireCategory(manager, input.category);
  const found = await lockForAct(manager, input.actor, input.code);
  if (found.kind !== 'ok') return found.kind;
  const { problem } = found;
  if (problem.category === input.category) return 'set';
  const from = problem.category;
  problem.category = input.category;
  await manager.getRepository(Problem).save(problem);
  const repo = manager.getRepository(ProblemEvent);
  await repo.save(repo.create({
    problemId: problem.id, kind: 'categorized', actorId: input.actor.id, note: input.category, data: { from }, at: input.now,
  }));
  return 'set';
}

export interface OpenProblemRow {
  code: string;
  description: string;
  deadline: string;
  villageName: string;
  overdue: boolean;
}

/**
 * Open problems a person answers for: a leader's whole scope; a cadre's
 * linked villages plus problems they reported or own. Oldest deadline first.
 */
export async function openProblemsFor(
  manager: EntityManager, actor: Actor, now: Date, limit = 20,
): Promise<{ total: number; rows: OpenProblemRow[] }> {
  const today = shanghaiDate(now);
  let where: string;
  let params: unknown[];
  if (isLeader(actor) && actor.scopeRegionId !== null) {
    const scope: { path: string }[] = await manager.query('SELECT path FROM regions WHERE id = $1', [actor.scopeRegionId]);
    where = 'r.path LIKE $1';
    params = [subtreeLike(scope[0].path)];
  } else {
    const villages = (await linkedVillages(manager, actor, now)).map((v) => v.id);
    where = '(p.village_id = ANY($1) OR p.reporter_id = $2 OR p.owner_cadre_id = $2)';
    params = [villages, actor.id];
  }
  const rows: (OpenProblemRow & { total: number })[] = await manager.query(
    `SELECT p.code, p.description, to_char(p.deadline, 'YYYY-MM-DD') AS deadline, r.name AS "villageName",
            p.deadline < $${params.length + 1}::date AS overdue, count(*) OVER ()::int AS total
       FROM problems p JOIN regions r ON r.id = p.village_id
      WHERE p.status = 'open' AND p.revoked_at IS NULL AND ${where}
      ORDER BY p.deadline, p.id LIMIT $${params.length + 2}`,
    [...params, today, limit],
  );
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
}
