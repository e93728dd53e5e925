import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A published version of the shop's privacy policy; consents record the one they were given under. */
@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_policy_versions_version', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column({ type: 'datetime' })
  effectiveAt: Date;

  @Column({ type: 'varchar', length: 512 })
  summary: string;
}
