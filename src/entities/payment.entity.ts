import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PaymentStatus } from '../domain/statuses';
import { OrderEntity } from './order.entity';
import { PartnerEntity } from './partner.entity';

/** The payment of one order. Card brand and last four digits only: never the full number. */
@Entity({ name: 'payments' })
@Index('IDX_payments_processor_status', ['processorId', 'status'])
export class PaymentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  orderId: number;

  @OneToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'orderId' })
  order?: OrderEntity;

  /** Cleared by retention once the service cycle is over. */
  @Column({ type: 'int', nullable: true })
  processorId: number | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'processorId' })
  processor?: PartnerEntity | null;

  @Column({ type: 'varchar', length: 32 })
  status: PaymentStatus;

  @Column({ type: 'int' })
  amountCents: number;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'varchar', length: 32 })
  cardBrand: string;

  @Column({ type: 'varchar', length: 4 })
  cardLast4: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  processorReference: string | null;

  @Column({ type: 'datetime' })
  authorizedAt: Date;

  @Column({ type: 'datetime', nullable: true })
  settledAt: Date | null;
}
