import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A problem category as data (docs/design.md §2), edited with `npm run rules`:
 * a report names it (上报 [村] [类别] 描述) or its keywords set it; 其他 when none match.
 */
@Entity({ name: 'problem_categories' })
export class ProblemCategory {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  name!: string;

  /** The heading it is listed under, e.g. 两不愁三保障; '' for none. */
  @Column({ name: 'group_name', type: 'varchar', length: 20, default: '' })
  groupName!: string;

  /** Substrings of a description that set this category; tried in `position` order. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords!: string[];

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
