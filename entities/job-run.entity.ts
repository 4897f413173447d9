import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per job and period ("digest", "2026-11-23"), so a job runs once per period. */
@Entity({ name: 'job_runs' })
export class JobRun {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  job!: string;

  @PrimaryColumn({ name: 'period_key', type: 'varchar', length: 60 })
  periodKey!: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  summary!: Record<string, unknown>;
}
