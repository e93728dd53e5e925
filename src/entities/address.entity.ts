import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedTransformer } from '../privacy/encryption/encrypted-transformer';
import { CustomerEntity } from './customer.entity';

/** A saved delivery address of a customer. */
@Entity({ name: 'addresses' })
export class AddressEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_addresses_customerId')
  @Column({ type: 'int' })
  customerId: number;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customerId' })
  customer?: CustomerEntity;

  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  recipientName: string;

  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  line1: string;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  line2: string | null;

  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  city: string;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  region: string | null;

  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  postalCode: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'varchar', length: 2 })
  country: string;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  phone: string | null;
}
