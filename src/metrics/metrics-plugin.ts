import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from '../auth/principal';
import type { RequestAuthz } from '../authz/request-authz';
import type { GatewayMetrics } from './gateway-metrics';

interface MetricsContext {
  principal: Principal;
  authz: RequestAuthz;
}

/** Contract codes that mean the request was refused (in whole or in part), as metric reasons. */
const REFUSAL_REASONS: Readonly<Record<string, string>> = {
  FORBIDDEN: 'forbidden',
  QUERY_TOO_COMPLEX: 'too_complex',
  BAD_USER_INPUT: 'bad_input',
  GRAPHQL_VALIDATION_FAILED: 'bad_input',
  GRAPHQL_PARSE_FAILED: 'bad_input',
  SERVICE_UNAVAILABLE: 'unavailable',
};

/**
 * Feeds the request histogram, the authorization decisions of each request's
 * field plan and the refusal counter. Refusals before GraphQL runs (401, 429)
 * are counted by the HTTP layer.
 */
export function createMetricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<MetricsContext> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.requestDuration.startTimer();
      return {
        async willSendResponse(rc) {
          const body = rc.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const reasons = new Set(errors.map((e) => REFUSAL_REASONS[String(e.extensions?.code)]).filter((r): r is string => r !== undefined));
          for (const reason of reasons) metrics.refusedRequests.inc({ reason });
          const role = rc.contextValue.principal.role;
          for (const entry of rc.contextValue.authz.plan.values()) metrics.authzDecisions.inc({ role, effect: entry.kind });
          const outcome = errors.length === 0 ? 'ok' : body.kind === 'single' && body.singleResult.data != null ? 'partial' : 'error';
          stopTimer({ operation_type: rc.operation?.operation ?? 'none', outcome });
        },
      };
    },
  };
}
