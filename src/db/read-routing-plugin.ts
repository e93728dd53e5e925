import type { ApolloServerPlugin } from '@apollo/server';
import { readPrimaryForRestOfRequest } from './read-routing';

/**
 * With read replicas, a mutation reads from the primary from its first
 * statement on, not only after its first write: what it reads before writing
 * decides the write (the status a shipment moves on from, the address being
 * corrected, whether an email is taken), and a lagging replica would answer
 * with a past state — a refused legal transition, a stale check. Queries read
 * from replicas. Without replicas this changes nothing.
 */
export function createReadRoutingPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (rc.operation?.operation === 'mutation') readPrimaryForRestOfRequest();
        },
      };
    },
  };
}
