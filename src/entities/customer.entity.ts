import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A registered shopper. Only what an order needs: no birth date, no identity documents. */
@Entity({ name: 'customers' })
export class CustomerEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 512 })
  name: string;

  @Index('IDX_customers_email', { unique: true })
  @Column({ type: 'varchar', length: 512 })
  email: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  phone: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  /** Set when the person was pseudonymized on their erasure request. */
  @Column({ type: 'datetime', nullable: true })
  erasedAt: Date | null;
}
