import type { EntityManager } from 'typeorm';
import { MUST_VISIT_KINDS, MustVisit, type MustVisitKind } from '../../../entities';
import { VALID_ON } from '../people/links';
import { addToOutbox, textMessage } from '../outbox/write';
import { getRule } from '../rules/rules';
import { formatShanghai, shanghaiDate } from '../../lib/time';
import type { Db } from '../../lib/db';

/**
 * 五必访: an event reported for a household (报告) makes its linked cadre owe a
 * visit within 'must_visit.due_days'; the cadre is told at once. A household
 * visit closes the household's open events of the kind it names
 * (走访 张三 住院 …), and every open event whose deadline has not passed.
 */

/** What users may type for each kind, beside its full name. */
const KIND_ALIASES: Record<string, MustVisitKind> = {
  婚丧: '婚丧嫁娶', 婚礼: '婚丧嫁娶', 丧事: '婚丧嫁娶', 结婚: '婚丧嫁娶', 红白事: '婚丧嫁娶',
  情绪: '情绪波动', 思想波动: '情绪波动',
  困难: '生活困难',
  住院: '生病住院', 生病: '生病住院', 患病: '生病住院',
  纠纷: '邻里纠纷', 家庭纠纷: '邻里纠纷', 邻里矛盾: '邻里纠纷',
};

const TOLD = (kind: string, householder: string, village: string, reporter: string, due: Date, note: string) =>
  `【五必访】${reporter}报告：您的联系户${householder}（${village}）${kind}${note ? `：${note}` : ''}。\n` +
  `请于${formatShanghai(due)}前入户走访，走访后发送“走访 ${householder} ${kind} 情况”。`;

/** The kind a word names (full name or alias), else null. */
export function mustVisitKindOf(word: string): MustVisitKind | null {
  if ((MUST_VISIT_KINDS as readonly string[]).includes(word)) return word as MustVisitKind;
  return KIND_ALIASES[word] ?? null;
}

/** The kind a note starts with as a word of its own (住院 …, 住院，…), and the rest; else null. */
export function leadingMustVisitKind(note: string): { kind: MustVisitKind; rest: string } | null {
  const text = note.replace(/^[\s:：,，、]+/u, '');
  const m = /^([^\s:：,，、。.]+)(?:[\s:：,，、。.]+|$)/u.exec(text);
  const kind = m ? mustVisitKindOf(m[1]) : null;
  return kind ? { kind, rest: text.slice(m![0].length).trim() } : null;
}

export interface ReportedMustVisit {
  event: MustVisit;
  /** False when an open event of the same kind was already there (nothing new recorded). */
  created: boolean;
  /** The linked cadre who owes the visit; null when the household has none. */
  cadre: { id: number; name: string; userid: string } | null;
}

/** 报告: records the event (unless one of its kind is open) and tells the linked cadre. */
export async function reportMustVisit(
  manager: EntityManager,
  input: {
    reporter: { id: number; name: string };
    household: { id: number; householder: string; villageId: number; villageName: string };
    kind: MustVisitKind; note: string; now: Date;
  },
): Promise<ReportedMustVisit> {
  const { reporter, household, kind, note, now } = input;
  const cadre = await linkedCadreOf(manager, household.id, now);
  const repo = manager.getRepository(MustVisit);
  const open = await repo.createQueryBuilder('m').setLock('pessimistic_write')
    .where('m.household_id = :h AND m.kind = :k AND m.done_at IS NULL AND m.revoked_at IS NULL', { h: household.id, k: kind })
    .orderBy('m.reported_at').getOne();
  if (open) return { event: open, created: false, cadre };
  const days = await getRule(manager, 'must_visit.due_days');
  const event = await repo.save(repo.create({
    householdId: household.id, villageId: household.villageId, kind, note, reporterId: reporter.id,
    cadreId: cadre?.id ?? null, reportedAt: now, dueAt: new Date(now.getTime() + days * 86_400_000),
    doneAt: null, householdVisitId: null, escalatedAt: null, revokedAt: null,
  }));
  if (cadre && cadre.id !== reporter.id) {
    await addToOutbox(manager, [textMessage(`must-visit:${event.id}`, cadre.userid,
      TOLD(kind, household.householder, household.villageName, reporter.name, event.dueAt, note))]);
  }
  return { event, created: true, cadre };
}

/** The household's active linked cadre at `at` (the longest-standing link when there are several). */
async function linkedCadreOf(db: Db, householdId: number, at: Date): Promise<ReportedMustVisit['cadre']> {
  const rows: { id: number; name: string; userid: string }[] = await db.query(
    `SELECT c.id, c.name, c.userid FROM cadre_household_links chl JOIN cadres c ON c.id = chl.cadre_id AND c.active
      WHERE chl.household_id = $1 AND ${VALID_ON('chl')}
      ORDER BY chl.valid_from, chl.id LIMIT 1`,
    [householdId, shanghaiDate(at)],
  );
  return rows[0] ?? null;
}

/**
 * A household visit closes the household's open events of the kind it names
 * and those still within their deadline. Returns the kinds closed.
 */
export async function closeMustVisitsByVisit(
  db: Db, input: { householdId: number; householdVisitId: number; kind: MustVisitKind | null; now: Date },
): Promise<{ kind: MustVisitKind; late: boolean }[]> {
  const rows: { kind: MustVisitKind; late: boolean }[] = await db.query(
    `WITH closed AS (
       UPDATE must_visits SET done_at = $3, household_visit_id = $2
        WHERE household_id = $1 AND done_at IS NULL AND revoked_at IS NULL AND (kind = $4 OR due_at >= $3)
        RETURNING id, kind, due_at < $3 AS late)
     SELECT kind, late FROM closed ORDER BY id`,
    [input.householdId, input.householdVisitId, input.now, input.kind],
  );
  return rows;
}

/** A household visit undone (撤销): the events it closed are open again. */
export async function reopenMustVisitsClosedBy(db: Db, householdVisitId: number): Promise<void> {
  await db.query(
    'UPDATE must_visits SET done_at = NULL, household_visit_id = NULL WHERE household_visit_id = $1', [householdVisitId]);
}

export interface OpenMustVisit {
  householder: string;
  kind: MustVisitKind;
  dueAt: Date;
}

/** The visits a cadre owes, soonest deadline first. */
export async function openMustVisitsOf(db: Db, cadreId: number): Promise<OpenMustVisit[]> {
  const rows: { householder: string; kind: MustVisitKind; due_at: Date }[] = await db.query(
    `SELECT h.householder, m.kind, m.due_at FROM must_visits m JOIN households h ON h.id = m.household_id
      WHERE m.cadre_id = $1 AND m.done_at IS NULL AND m.revoked_at IS NULL
      ORDER BY m.due_at, m.id`,
    [cadreId],
  );
  return rows.map((r) => ({ householder: r.householder, kind: r.kind, dueAt: new Date(r.due_at) }));
}
