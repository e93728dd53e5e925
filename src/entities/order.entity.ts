import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrderStatus } from '../domain/statuses';
import { CustomerEntity } from './customer.entity';

@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** The human-facing order number, kept after erasure for traceability. */
  @Index('IDX_orders_number', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  number: string;

  @Index('IDX_orders_customerId')
  @Column({ type: 'int' })
  customerId: number;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customerId' })
  customer?: CustomerEntity;

  @Column({ type: 'varchar', length: 32 })
  status: OrderStatus;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  currency: string;

  @Column({ type: 'int' })
  totalCents: number;

  @Index('IDX_orders_placedAt')
  @Column({ type: 'datetime' })
  placedAt: Date;
}
