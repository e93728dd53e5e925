import { type EntityManager, LessThanOrEqual } from 'typeorm';
import { PolicyVersionEntity } from '../../entities/policy-version.entity';
import { gatewayError } from '../../graphql/errors';

/** The privacy policy version in force at `now`: the latest effectiveAt not in the future. */
export async function currentPolicyVersion(manager: EntityManager, now: Date): Promise<PolicyVersionEntity> {
  const current = await manager.getRepository(PolicyVersionEntity).findOne({
    where: { effectiveAt: LessThanOrEqual(now) },
    order: { effectiveAt: 'DESC', id: 'DESC' },
  });
  if (current === null) throw gatewayError('SERVICE_UNAVAILABLE', 'no privacy policy version has been published');
  return current;
}
