import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ADVISORY_LOCK, countActivityFunction } from './1763857700000-region-rollups';

/**
 * A cadre's presence changes (migration 1763857700000) are serialised by a lock
 * on the cadre's own row instead of an advisory lock. An advisory lock takes an
 * entry in the shared lock table until commit, so one transaction revoking
 * thousands of check-ins of different cadres ran out of shared memory; a row
 * lock is kept in the row itself. A check-in already locks its cadre's row
 * (src/services/visits/village-checkins.ts), so it waits on nothing new.
 */
export class ActivityCadreRowLock1763857700002 implements MigrationInterface {
  name = 'ActivityCadreRowLock1763857700002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(countActivityFunction(CADRE_ROW_LOCK));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(countActivityFunction(ADVISORY_LOCK));
  }
}

const CADRE_ROW_LOCK = 'PERFORM 1 FROM cadres WHERE id = p_cadre FOR NO KEY UPDATE;';
