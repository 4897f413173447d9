import type { Db } from '../../../src/lib/db';
import { buildNotice, buildNoticeRecipient, setSequence } from '../factories';
import { IDS, addHouseholdVisit, addProblem, addVisit, seedJobsRoster } from './jobs';

/**
 * The known dataset of the digest tests, "now" = Monday 2026-11-23 20:00 Shanghai.
 * Expected figures are worked out by hand in test/integration/jobs/digest.test.ts.
 */
export const DIGEST_NOW = new Date('2026-11-23T20:00:00+08:00');

export async function seedDigestDataset(db: Db): Promise<void> {
  await seedJobsRoster(db);
  // Today
  await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-11-23T09:00:00+08:00', '2026-11-23T12:00:00+08:00');
  await addVisit(db, IDS.lina, IDS.wangmen, '2026-11-23T10:00:00+08:00', '2026-11-23T18:00:00+08:00');
  await addVisit(db, IDS.wanggang, IDS.xiping, '2026-11-23T14:00:00+08:00', '2026-11-23T15:00:00+08:00');
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-11-23T10:00:00+08:00', true);
  await addHouseholdVisit(db, IDS.wanggang, IDS.zhaoliu, '2026-11-23T14:30:00+08:00');
  // Yesterday (Sunday: last week, so not in this week's coverage)
  await addVisit(db, IDS.lina, IDS.dingmen, '2026-11-22T09:00:00+08:00', '2026-11-22T10:00:00+08:00');
  // The same weekday last week
  await addVisit(db, IDS.zhangwei, IDS.dingmen, '2026-11-16T09:00:00+08:00', '2026-11-16T11:00:00+08:00');
  await addVisit(db, IDS.wanggang, IDS.xiping, '2026-11-16T09:00:00+08:00', '2026-11-16T11:00:00+08:00');
  await addHouseholdVisit(db, IDS.zhangwei, IDS.lisi, '2026-11-16T10:00:00+08:00');
  // Earlier this year
  await addHouseholdVisit(db, IDS.zhangwei, IDS.zhangsan, '2026-03-01T10:00:00+08:00');
  // Problems: new today, overdue, closed today, last year's
  await addProblem(db, { code: 'W2026-0001', villageId: IDS.dingmen, reporterId: IDS.zhangwei, ownerId: IDS.zhangwei,
    deadline: '2026-12-23', reportedAt: '2026-11-23T10:00:00+08:00' });
  await addProblem(db, { code: 'W2026-0002', villageId: IDS.dingmen, reporterId: IDS.lina, ownerId: IDS.lina,
    deadline: '2026-10-31', reportedAt: '2026-10-01T10:00:00+08:00' });
  await addProblem(db, { code: 'W2026-0003', villageId: IDS.xiping, reporterId: IDS.wanggang, ownerId: IDS.wanggang,
    deadline: '2026-10-01', reportedAt: '2026-09-01T10:00:00+08:00', closedAt: '2026-11-23T11:00:00+08:00' });
  await addProblem(db, { code: 'W2025-0009', villageId: IDS.xiping, reporterId: IDS.wanggang, ownerId: IDS.wanggang,
    deadline: '2025-12-31', reportedAt: '2025-12-01T10:00:00+08:00', closedAt: '2026-01-05T11:00:00+08:00' });
  // A notice to 鸳鸯镇: 张伟 acknowledged, 李娜 not
  await buildNotice(db, { id: 1, senderId: IDS.countyLeader, scopeRegionId: IDS.yuanyang, content: '今晚有暴雨，请各村做好防汛准备',
    createdAt: '2026-11-23T09:00:00+08:00' });
  await buildNoticeRecipient(db, { noticeId: 1, cadreId: IDS.zhangwei, ackedAt: '2026-11-23T09:10:00+08:00' });
  await buildNoticeRecipient(db, { noticeId: 1, cadreId: IDS.lina, ackedAt: null });
  await setSequence(db, 'notices', 100);
}
