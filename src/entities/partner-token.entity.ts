import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PartnerEntity } from './partner.entity';

/** An opaque partner credential. Only its hash is stored; the token is shown once when issued. */
@Entity({ name: 'partner_tokens' })
export class PartnerTokenEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_partner_tokens_partnerId')
  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => PartnerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnerId' })
  partner?: PartnerEntity;

  /** The role the token acts as: courier or payment_processor. */
  @Column({ type: 'varchar', length: 32 })
  role: string;

  /** SHA-256 of the token, hex. */
  @Index('IDX_partner_tokens_tokenHash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'datetime', nullable: true })
  revokedAt: Date | null;
}
