import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Policy rules as data (docs/design.md §2), editable by admins with `npm run rules`.
 * `value` is a number for quotas, a string for times ("20:00"), a boolean for switches.
 */
@Entity({ name: 'policy_rules' })
export class PolicyRule {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: number | string | boolean;

  /** What the rule means, in Chinese, as admins read it. */
  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
