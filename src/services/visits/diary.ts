import type { EntityManager } from 'typeorm';
import { DiaryEntry } from '../../../entities';
import { openVisit } from './village-checkins';
import { shanghaiYearRange } from '../../lib/time';

/** 民情日记: free text, tied to the village of the open check-in when there is one. */
export async function addDiaryEntry(
  manager: EntityManager,
  input: { cadreId: number; content: string; now: Date },
): Promise<{ entry: DiaryEntry; daysThisYear: number }> {
  const open = await openVisit(manager, input.cadreId);
  const repo = manager.getRepository(DiaryEntry);
  const entry = await repo.save(repo.create({
    cadreId: input.cadreId, villageId: open?.villageId ?? null, content: input.content, createdAt: input.now, revokedAt: null,
  }));
  const { from, to } = shanghaiYearRange(input.now);
  const rows: { days: number }[] = await manager.query(
    `SELECT count(DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days FROM diary_entries
      WHERE cadre_id = $1 AND revoked_at IS NULL AND created_at >= $2 AND created_at < $3`,
    [input.cadreId, from, to],
  );
  return { entry, daysThisYear: rows[0].days };
}
