import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 联村: a unit linked to a village for [validFrom, validTo). A reassignment closes
 * the old row (validTo) and opens a new one, so history is kept and counts
 * follow the link that was valid at the time.
 */
@Entity({ name: 'unit_village_links' })
@Index('unit_village_links_village_idx', ['villageId'])
@Index('unit_village_links_unit_idx', ['unitId'])
export class UnitVillageLink {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'unit_id', type: 'int' })
  unitId!: number;

  @Column({ name: 'village_id', type: 'int' })
  villageId!: number;

  /** Inclusive start date (Asia/Shanghai calendar day), YYYY-MM-DD. */
  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  /** Exclusive end date; null while the link holds. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;
}
