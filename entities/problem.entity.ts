import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 'revoked': undone by its reporter (撤销); the row and its number stay, shown as 已撤销. */
export type ProblemStatus = 'open' | 'closed' | 'revoked';

/** 问题台账: every reported problem has a number, an owner and a deadline until 销号. */
@Entity({ name: 'problems' })
@Index('problems_village_status_idx', ['villageId', 'status'])
@Index('problems_status_deadline_idx', ['status', 'deadline'])
@Index('problems_reporter_idx', ['reporterId', 'reportedAt'])
@Index('problems_closed_by_idx', ['closedById', 'closedAt'], { where: 'closed_by_id IS NOT NULL' })
export class Problem {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** Human number shown in chat, e.g. "W2026-0001"; numbered per year through problems_code_seq_idx. */
  @Index('problems_code_seq_idx', { synchronize: false })
  @Column({ type: 'varchar', length: 20, unique: true })
  code!: string;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ name: 'reporter_id', type: 'int' })
  reporterId!: number;

  @Column({ name: 'owner_cadre_id', type: 'int', nullable: true })
  ownerCadreId!: number | null;

  @Column({ name: 'owner_unit_id', type: 'int', nullable: true })
  ownerUnitId!: number | null;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 20, default: '其他' })
  category!: string;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: ProblemStatus;

  /** Last day to fix it (Asia/Shanghai), YYYY-MM-DD. */
  @Column({ type: 'date' })
  deadline!: string;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by_id', type: 'int', nullable: true })
  closedById!: number | null;

  @Column({ name: 'close_note', type: 'text', nullable: true })
  closeNote!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
