import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One touched (type, id, field, effect); never a value. */
export interface AuditTouch {
  type: string;
  id: string;
  field: string;
  effect: 'allow' | 'mask' | 'deny';
}

/** Append-only, hash-chained record of an operation that read personal data or changed something. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_audit_events_at')
  @Column({ type: 'datetime' })
  at: Date;

  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Index('IDX_audit_events_subject')
  @Column({ type: 'varchar', length: 64, nullable: true })
  subject: string | null;

  @Column({ type: 'int', nullable: true })
  partnerId: number | null;

  @Column({ type: 'varchar', length: 128 })
  operation: string;

  @Column({ type: 'varchar', length: 64 })
  purpose: string;

  @Column({ type: 'simple-json' })
  touched: AuditTouch[];

  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
