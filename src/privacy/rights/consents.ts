import type { DataSource } from 'typeorm';
import type { ConsentPurpose } from '../../domain/statuses';
import { ConsentEntity } from '../../entities/consent.entity';
import { currentPolicyVersion } from './current-policy-version';

/**
 * Records a customer's answer for one purpose under the policy version in
 * force: updates their row for the purpose, or adds it. Nothing is cached:
 * the policies' `consent:<purpose>` conditions read the table on every
 * request, so the answer holds from the very next one.
 */
export async function setConsent(
  ds: DataSource,
  customerId: number,
  purpose: ConsentPurpose,
  granted: boolean,
  now: Date,
): Promise<ConsentEntity> {
  const write = () =>
    ds.transaction(async (manager) => {
      const policy = await currentPolicyVersion(manager, now);
      const answer = { granted, policyVersionId: policy.id, updatedAt: now };
      const repo = manager.getRepository(ConsentEntity);
      const existing = await repo.findOneBy({ customerId, purpose });
      if (existing !== null) {
        await repo.update({ id: existing.id }, answer);
        return Object.assign(existing, answer);
      }
      return repo.save(Object.assign(new ConsentEntity(), { customerId, purpose, ...answer }));
    });
  try {
    return await write();
  } catch (error) {
    // Two first answers at once: the unique (customerId, purpose) index lets one insert win; the other updates it.
    const existing = await ds.getRepository(ConsentEntity).findOneBy({ customerId, purpose });
    if (existing === null) throw error;
    return write();
  }
}
