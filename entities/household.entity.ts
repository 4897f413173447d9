import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const HOUSEHOLD_CATEGORIES = ['贫困户', '特困户', '低保户', '五保户', '一般户'] as const;
export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number];

/** A household; the roster identifies it by village + householder name. */
@Entity({ name: 'households' })
@Index('households_village_householder_uq', ['villageId', 'householder'], { unique: true })
export class Household {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ type: 'varchar', length: 50 })
  householder!: string;

  @Column({ type: 'varchar', length: 8 })
  category!: HouseholdCategory;

  @Column({ type: 'smallint', default: 1 })
  size!: number;

  /** 致贫原因 from the roster (optional). */
  @Column({ name: 'poverty_cause', type: 'varchar', length: 100, nullable: true })
  povertyCause!: string | null;

  /** 帮扶状态 from the roster: 未脱贫, 已脱贫 or 监测户 (optional). */
  @Column({ name: 'aid_status', type: 'varchar', length: 4, nullable: true })
  aidStatus!: string | null;
}
