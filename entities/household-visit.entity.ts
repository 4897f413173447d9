import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 走访/入户: a cadre's visit to one household. villageId is copied for subtree counts. */
@Entity({ name: 'household_visits' })
@Index('household_visits_household_idx', ['householdId', 'visitedAt'])
@Index('household_visits_cadre_idx', ['cadreId', 'visitedAt'])
@Index('household_visits_village_idx', ['villageId', 'visitedAt'])
// Covering, partial (INCLUDE household_id, cadre_id, talk WHERE revoked_at IS NULL): migration 1763856600001.
@Index('household_visits_village_live_idx', { synchronize: false })
export class HouseholdVisit {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'household_id', type: 'int' })
  householdId!: number;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ name: 'visited_at', type: 'timestamptz' })
  visitedAt!: Date;

  /** The open check-in this visit happened during, if any. */
  @Column({ name: 'visit_id', type: 'int', nullable: true })
  visitId!: number | null;

  /** True when the note records a heart-to-heart talk (谈心交流). */
  @Column({ type: 'boolean', default: false })
  talk!: boolean;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
