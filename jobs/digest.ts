import { UnrecoverableError } from 'bullmq';
import { buildDigests, digestLeaders, renderDigestMarkdown } from '../src/services/digest/build';
import { periodWindows } from '../src/services/digest/periods';
import { addToOutbox, markdownMessage } from '../src/services/outbox/write';
import { allowLargeScans, oncePerPeriod, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { DIGEST_PERIODS, type DigestPeriod } from '../src/services/digest/periods';
import { refreshStalePaceRows } from '../src/services/standing/pace-rows';

/**
 * Every leader (领导 with a 管辖范围) gets the digest of their scope as a
 * markdown app message, once per period: key digest:<period key>:<leader id>.
 * The daily run first moves pace rows left in an earlier year to this one.
 */
export async function runDigest(deps: JobDeps, now: Date, period: DigestPeriod = 'day'): Promise<JobSummary> {
  if (!DIGEST_PERIODS.includes(period)) throw new UnrecoverableError(`unknown digest period ${String(period)}`);
  const pw = periodWindows(now, period);
  const job = period === 'day' ? 'digest' : `digest-${period}`;
  return oncePerPeriod(deps, job, pw.key, now, async (manager) => {
    await allowLargeScans(manager);
    if (period === 'day') await refreshStalePaceRows(manager, now);
    const leaders = await digestLeaders(manager);
    const digests = await buildDigests(manager, [...new Set(leaders.map((l) => l.scopeRegionId))], now, period);
    const texts = new Map([...digests].map(([id, d]) => [id, renderDigestMarkdown(d)]));
    const messages = leaders.filter((l) => texts.has(l.scopeRegionId))
      .map((l) => markdownMessage(`digest:${pw.key}:${l.id}`, l.userid, texts.get(l.scopeRegionId)!));
    const outboxIds = await addToOutbox(manager, messages);
    return { summary: { period, leaders: leaders.length, scopes: digests.size, queued: outboxIds.length }, outboxIds };
  });
}
