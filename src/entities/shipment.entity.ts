import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ShipmentStatus } from '../domain/statuses';
import { encryptedTransformer } from '../privacy/encryption/encrypted-transformer';
import { OrderEntity } from './order.entity';
import { PartnerEntity } from './partner.entity';

/** The delivery of one order: a copy of the address it goes to and the courier that carries it. */
@Entity({ name: 'shipments' })
@Index('IDX_shipments_carrier_status', ['carrierId', 'status'])
export class ShipmentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  orderId: number;

  @OneToOne(() => OrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'orderId' })
  order?: OrderEntity;

  /** Cleared by retention once the service cycle is over. */
  @Column({ type: 'int', nullable: true })
  carrierId: number | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'carrierId' })
  carrier?: PartnerEntity | null;

  @Column({ type: 'varchar', length: 32 })
  status: ShipmentStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingNumber: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  recipientName: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  line1: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  line2: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  city: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  region: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  postalCode: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  country: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  contactPhone: string | null;

  @Column({ type: 'datetime', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  deliveredAt: Date | null;
}
