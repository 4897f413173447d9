import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 联户: a cadre linked to a household for [validFrom, validTo). */
@Entity({ name: 'cadre_household_links' })
@Index('cadre_household_links_cadre_idx', ['cadreId'])
@Index('cadre_household_links_household_idx', ['householdId'])
@Index('cadre_household_links_village_idx', ['villageId'])
// Covering (INCLUDE cadre_id, valid_from, valid_to): migration 1763856600001.
@Index('cadre_household_links_household_cover_idx', { synchronize: false })
export class CadreHouseholdLink {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'household_id', type: 'int' })
  householdId!: number;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  // Village and this year's tally: filled and kept by triggers (migration 1763857000000).
  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  @Column({ name: 'tally_year', type: 'smallint', nullable: true })
  tallyYear!: number | null;

  @Column({ name: 'tally_visits', type: 'int', default: 0 })
  tallyVisits!: number;

  @Column({ name: 'tally_days', type: 'int', default: 0 })
  tallyDays!: number;

  @Column({ name: 'tally_talks', type: 'int', default: 0 })
  tallyTalks!: number;
}
