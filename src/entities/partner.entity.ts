import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PartnerKind } from '../domain/statuses';

/** A third party that serves orders: a courier or a payment processor. */
@Entity({ name: 'partners' })
export class PartnerEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  kind: PartnerKind;
}
