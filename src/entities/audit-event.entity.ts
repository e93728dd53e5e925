import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonListColumn } from './json-list-column';

/**
 * The rows of one kind an operation touched, for one field and one effect:
 * which ids, never a value. `change` is a write by a mutation.
 */
export interface AuditTouch {
  type: string;
  field: string;
  effect: 'allow' | 'mask' | 'deny' | 'change';
  ids: string[];
}

/** Append-only, hash-chained record of an operation that read personal data or changed something. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_audit_events_at')
  @Column({ type: 'datetime' })
  at: Date;

  @Index('IDX_audit_events_role')
  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Index('IDX_audit_events_subject')
  @Column({ type: 'varchar', length: 64, nullable: true })
  subject: string | null;

  @Index('IDX_audit_events_partnerId')
  @Column({ type: 'int', nullable: true })
  partnerId: number | null;

  @Column({ type: 'varchar', length: 128 })
  operation: string;

  @Column({ type: 'varchar', length: 64 })
  purpose: string;

  /** `ok`, `refused` (denied before it ran) or `failed`. */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @JsonListColumn()
  touched: AuditTouch[];

  /** The customers whose data the operation touched, for the privacy officer's filter. */
  @JsonListColumn()
  customerIds: number[];

  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
