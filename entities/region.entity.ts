import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum RegionLevel {
  Province = 0,
  City = 1,
  County = 2,
  Township = 3,
  Village = 4,
}

/**
 * The administrative tree 省→市→县区→乡镇→村/社区.
 *
 * Subtree queries use a materialized path of ids ("/1/12/130/") stored with the
 * "C" collation, so `path LIKE '/1/12/%'` is a btree range scan on
 * regions_path_idx. We chose it over ltree (needs an extension, GiST) and a
 * closure table (depth × rows extra rows, 5 levels × 20k villages is cheap but
 * every write touches many rows): the tree is shallow, changes only on roster
 * import, and "everything under 武山县" is one index range.
 */
@Entity({ name: 'regions' })
@Index('regions_parent_name_uq', ['parentId', 'name'], { unique: true })
export class Region {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'parent_id', type: 'int', nullable: true })
  parentId!: number | null;

  @Column({ type: 'smallint' })
  level!: RegionLevel;

  /** Villages' names are also indexed for prefix look-ups (regions_village_name_prefix_idx, text_pattern_ops). */
  @Index('regions_village_name_prefix_idx', { synchronize: false })
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Names from the province down, joined with "/", e.g. 甘肃省/天水市/武山县/鸳鸯镇/丁门村. */
  @Column({ name: 'full_name', type: 'varchar', length: 400 })
  fullName!: string;

  @Column({ type: 'varchar', length: 200, collation: 'C' })
  path!: string;
}
