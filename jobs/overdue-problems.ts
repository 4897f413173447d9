import type { EntityManager } from 'typeorm';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { getRule } from '../src/services/rules/rules';
import { shanghaiDate } from '../src/lib/time';
import { oncePerPeriod, type JobDeps, type JobSummary } from './deps';

/**
 * Overdue problems (daily 09:00). The owner of every open problem past its
 * deadline is reminded (one message per owner). A problem overdue by more
 * than N = 'problem.escalate_after_days' days is escalated one level up per N
 * days: first to the township's leaders, after 2N to the county's, after 3N to
 * the city's (a level without a leader passes to the next one up); each
 * escalation is recorded once as a problem_events 'escalated' row with
 * data {level, regionId}.
 */

const OWNER_HEAD = '【问题逾期提醒】您负责的以下问题已超过整改期限：';
const OWNER_TAIL = '整改完成后请回复“销号 编号 整改说明”。';
const LEADER_HEAD = '【问题逾期上报】以下问题逾期未销号，请督促整改：';
const LINE = (p: Overdue) => `· ${p.code} ${p.village} 逾期${p.days}天：${p.description.slice(0, 40)}`;
const ESCALATED_NOTE = (days: number, region: string) => `逾期${days}天，上报${region}领导`;

interface Overdue {
  id: number;
  code: string;
  description: string;
  village: string;
  path: string;
  days: number;
  owner: string | null;
  escalated: number;
}

/** The level a problem overdue by `days` should have reached: 0 none, 1 township, 2 county, 3 city. */
export function escalationLevel(days: number, afterDays: number): number {
  if (afterDays <= 0 || days <= afterDays) return 0;
  return Math.min(3, Math.ceil(days / afterDays) - 1);
}

export async function runOverdueProblems(deps: JobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const after = await getRule(deps.db, 'problem.escalate_after_days');
  return oncePerPeriod(deps, 'overdue-problems', today, now, async (manager) => {
    const overdue: Overdue[] = await manager.query(
      `SELECT p.id, p.code, p.description, r.name AS village, r.path, ($1::date - p.deadline) AS days, o.userid AS owner,
              coalesce((SELECT max((e.data->>'level')::int) FROM problem_events e
                         WHERE e.problem_id = p.id AND e.kind = 'escalated'), 0) AS escalated
         FROM problems p JOIN regions r ON r.id = p.village_id
         LEFT JOIN cadres o ON o.id = p.owner_cadre_id AND o.active
        WHERE p.status = 'open' AND p.revoked_at IS NULL AND p.deadline < $1::date
        ORDER BY p.deadline, p.id`,
      [today],
    );
    const messages: OutboundMessage[] = [];
    const byOwner = group(overdue.filter((p) => p.owner), (p) => p.owner!);
    for (const [userid, ps] of byOwner) {
      messages.push(textMessage(`problem-overdue:${today}:${userid}`, userid, [OWNER_HEAD, ...ps.map(LINE), OWNER_TAIL].join('\n')));
    }
    const toLeaders = new Map<string, Overdue[]>();
    let escalated = 0;
    const leaderCache = new Map<number, { regionId: number; name: string; userids: string[] } | null>();
    for (const p of overdue) {
      const level = escalationLevel(p.days, after);
      if (level <= p.escalated) continue;
      const target = await leadersAbove(manager, p.path, level, leaderCache);
      if (!target) continue;
      await manager.query(
        `INSERT INTO problem_events (problem_id, kind, note, data, at) VALUES ($1, 'escalated', $2, $3, $4)`,
        [p.id, ESCALATED_NOTE(p.days, target.name), JSON.stringify({ level, regionId: target.regionId }), now]);
      escalated++;
      for (const u of target.userids) toLeaders.set(u, [...(toLeaders.get(u) ?? []), p]);
    }
    for (const [userid, ps] of toLeaders) {
      messages.push(textMessage(`problem-escalated:${today}:${userid}`, userid, [LEADER_HEAD, ...ps.map(LINE)].join('\n')));
    }
    const outboxIds = await addToOutbox(manager, messages);
    return { summary: { overdue: overdue.length, owners: byOwner.size, escalated, queued: outboxIds.length }, outboxIds };
  });
}

/** Leaders of the village's ancestor at region level 4 − level (3 township, 2 county, 1 city), or higher up. */
async function leadersAbove(
  manager: EntityManager, villagePath: string, level: number,
  cache: Map<number, { regionId: number; name: string; userids: string[] } | null>,
) {
  const ids = villagePath.split('/').filter(Boolean).map(Number); // [province, city, county, township, village]
  for (let regionLevel = 4 - level; regionLevel >= 0; regionLevel--) {
    const regionId = ids[regionLevel];
    if (!cache.has(regionId)) {
      const rows: { userid: string; region: string }[] = await manager.query(
        `SELECT c.userid, r.name AS region FROM cadres c JOIN regions r ON r.id = c.scope_region_id
          WHERE c.scope_region_id = $1 AND c.active AND c.role = '领导' ORDER BY c.id`, [regionId]);
      cache.set(regionId, rows.length > 0 ? { regionId, name: rows[0].region, userids: rows.map((r) => r.userid) } : null);
    }
    const found = cache.get(regionId);
    if (found) return found;
  }
  return null;
}

function group<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
