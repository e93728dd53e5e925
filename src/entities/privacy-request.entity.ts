import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PrivacyRequestKind, PrivacyRequestStatus } from '../domain/statuses';
import { encryptedTransformer } from '../privacy/encryption/encrypted-transformer';
import { CustomerEntity } from './customer.entity';

/** A customer's exercise of a right (access, correction, erasure, complaint), with a due date. */
@Entity({ name: 'privacy_requests' })
@Index('IDX_privacy_requests_status_due', ['status', 'dueAt'])
export class PrivacyRequestEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_privacy_requests_customerId')
  @Column({ type: 'int' })
  customerId: number;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customerId' })
  customer?: CustomerEntity;

  @Column({ type: 'varchar', length: 32 })
  kind: PrivacyRequestKind;

  @Column({ type: 'varchar', length: 32 })
  status: PrivacyRequestStatus;

  /** Free text of a complaint; personal data, encrypted at rest with the rest. */
  @Column({ type: 'text', nullable: true, transformer: encryptedTransformer })
  message: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  dueAt: Date;

  @Column({ type: 'datetime', nullable: true })
  completedAt: Date | null;
}
