import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A village or community: the leaf of the region tree, with what check-ins need. */
@Entity({ name: 'villages' })
export class Village {
  /** Same id as the village's row in regions. */
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: '村' | '社区';

  @Column({ name: 'is_poor', type: 'boolean', default: false })
  isPoor!: boolean;

  /** GCJ-02, as WeCom and Chinese maps report them. */
  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  /** Geofence radius for location check-ins, metres (docs/design.md §3 default 3 km). */
  @Column({ name: 'radius_m', type: 'int', default: 3000 })
  radiusM!: number;

  /** GIN-indexed (villages_aliases_gin, chat-lookups migration) for alias look-ups. */
  @Index('villages_aliases_gin', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases!: string[];

  /** Pinyin initials of the name without 村/社区, lower case (丁门村 → "dm"), for fuzzy lookup. */
  @Column({ type: 'varchar', length: 40, default: '' })
  initials!: string;
}
