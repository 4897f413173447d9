import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../src/lib/roles';

/** A roster person: cadre, resident team member or leader, identified by WeCom userid. */
@Entity({ name: 'cadres' })
@Index('cadres_unit_idx', ['unitId'])
export class Cadre {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** WeCom userid (账号). WeCom compares userids case-insensitively; stored as given, looked up through cadres_userid_lower_idx. */
  @Column({ type: 'varchar', length: 64, unique: true })
  userid!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 20, default: '' })
  mobile!: string;

  @Column({ name: 'unit_id', type: 'int', nullable: true })
  unitId!: number | null;

  @Column({ type: 'varchar', length: 8 })
  role!: Role;

  /** Leaders and admins: the region they answer for (全省 = the province root). */
  @Column({ name: 'scope_region_id', type: 'int', nullable: true })
  scopeRegionId!: number | null;

  /** Resident team members: the village of their stay (驻村村) and its first and last day; their quotas are pro-rated to it. */
  @Column({ name: 'resident_village_id', type: 'int', nullable: true })
  residentVillageId!: number | null;

  @Column({ name: 'resident_from', type: 'date', nullable: true })
  residentFrom!: string | null;

  @Column({ name: 'resident_to', type: 'date', nullable: true })
  residentTo!: string | null;

  /** False once a later roster marks the person gone; history stays. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Session cookies carry it; logout and a change of role or scope bump it (migration 1763858100000), ending every session. */
  @Column({ name: 'session_version', type: 'int', default: 0 })
  sessionVersion!: number;
}
