import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedTransformer } from '../privacy/encryption/encrypted-transformer';

/** A registered shopper. Only what an order needs: no birth date, no identity documents. */
@Entity({ name: 'customers' })
export class CustomerEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  name: string;

  /** Encrypted with a random IV, so neither searchable nor unique here: both go through emailHash. */
  @Column({ type: 'varchar', length: 512, transformer: encryptedTransformer })
  email: string;

  /** emailLookupHash(email): how a customer is found by email, and what keeps emails unique. */
  @Index('IDX_customers_emailHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  emailHash: string;

  @Column({ type: 'varchar', length: 512, nullable: true, transformer: encryptedTransformer })
  phone: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  /** Set when the person was pseudonymized on their erasure request. */
  @Column({ type: 'datetime', nullable: true })
  erasedAt: Date | null;
}
