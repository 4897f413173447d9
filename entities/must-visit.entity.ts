import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The five 五必访 kinds, as the policy names them. */
export const MUST_VISIT_KINDS = ['婚丧嫁娶', '情绪波动', '生活困难', '生病住院', '邻里纠纷'] as const;
export type MustVisitKind = (typeof MUST_VISIT_KINDS)[number];

/**
 * 五必访: an event reported for a household. Its linked cadre (cadreId, null when
 * the household has none) owes a visit by dueAt; a household visit closes it
 * (doneAt, householdVisitId). villageId is copied for subtree counts.
 */
@Entity({ name: 'must_visits' })
// Partial indexes (open: done_at IS NULL AND revoked_at IS NULL): migration 1763858300000.
@Index('must_visits_open_due_idx', { synchronize: false })
@Index('must_visits_household_open_idx', { synchronize: false })
@Index('must_visits_cadre_open_idx', { synchronize: false })
@Index('must_visits_village_due_idx', { synchronize: false })
@Index('must_visits_reporter_idx', ['reporterId', 'reportedAt'])
@Index('must_visits_visit_idx', { synchronize: false })
export class MustVisit {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'household_id', type: 'int' })
  householdId!: number;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: MustVisitKind;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ name: 'reporter_id', type: 'int' })
  reporterId!: number;

  @Column({ name: 'cadre_id', type: 'int', nullable: true })
  cadreId!: number | null;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @Column({ name: 'household_visit_id', type: 'int', nullable: true })
  householdVisitId!: number | null;

  /** When the township's leaders were told it is overdue (once). */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
