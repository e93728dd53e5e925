import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The end of the audit chain, updated in the same transaction as each event.
 * Without it, deleting the newest events would leave a chain that still
 * verifies; with it, the count and the last hash no longer match.
 */
@Entity({ name: 'audit_head' })
export class AuditHeadEntity {
  /** Always 1: a single row. */
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  count: number;

  @Column({ type: 'int' })
  lastEventId: number;

  @Column({ type: 'varchar', length: 64 })
  lastHash: string;
}
