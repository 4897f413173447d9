import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type VisitSource = 'chat' | 'location' | 'h5' | 'console';

/**
 * A village check-in (到村/签到 … 签退). At most one open visit per cadre
 * (visits_one_open_per_cadre, a partial unique index).
 */
@Entity({ name: 'visits' })
@Index('visits_village_started_idx', ['villageId', 'startedAt'])
@Index('visits_cadre_started_idx', ['cadreId', 'startedAt'])
// Covering, partial (INCLUDE cadre_id, ended_at WHERE revoked_at IS NULL): migration 1763856600001.
@Index('visits_village_started_live_idx', { synchronize: false })
export class Visit {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** Minutes between start and end (capped by auto-checkout); null while open. */
  @Column({ name: 'duration_minutes', type: 'int', nullable: true })
  durationMinutes!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  /** Metres from the village's coordinates when a location was given. */
  @Column({ name: 'distance_m', type: 'int', nullable: true })
  distanceM!: number | null;

  /** True when a location inside the village's radius backs the check-in. */
  @Column({ type: 'boolean', default: false })
  verified!: boolean;

  @Column({ type: 'varchar', length: 10, default: 'chat' })
  source!: VisitSource;

  @Column({ name: 'auto_closed', type: 'boolean', default: false })
  autoClosed!: boolean;

  /** Soft delete by 撤销; kept for audit, excluded from every count. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
