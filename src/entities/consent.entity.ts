import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentPurpose } from '../domain/statuses';
import { CustomerEntity } from './customer.entity';
import { PolicyVersionEntity } from './policy-version.entity';

/** A customer's current answer for one purpose. */
@Entity({ name: 'consents' })
@Index('IDX_consents_customer_purpose', ['customerId', 'purpose'], { unique: true })
export class ConsentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  customerId: number;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customerId' })
  customer?: CustomerEntity;

  @Column({ type: 'varchar', length: 32 })
  purpose: ConsentPurpose;

  @Column({ type: 'boolean' })
  granted: boolean;

  @Column({ type: 'int' })
  policyVersionId: number;

  @ManyToOne(() => PolicyVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policyVersionId' })
  policyVersion?: PolicyVersionEntity;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
