import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ProblemEventKind =
  | 'reported'
  | 'assigned'
  | 'deadline'
  | 'closed'
  | 'reopened'
  | 'reminded'
  | 'escalated'
  | 'revoked'
  | 'categorized';

/** The history of a problem, append-only. */
@Entity({ name: 'problem_events' })
@Index('problem_events_problem_idx', ['problemId', 'at'])
export class ProblemEvent {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'problem_id', type: 'int' })
  problemId!: number;

  @Column({ type: 'varchar', length: 12 })
  kind!: ProblemEventKind;

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId!: number | null;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
