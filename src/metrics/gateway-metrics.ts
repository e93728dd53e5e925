import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { connectionPoolState } from './pool-state';

/**
 * What /metrics shows. Labels are roles, effects, operation types and
 * reasons — never an id, a subject or a value, so the metrics can be scraped
 * by tools that must not see personal data. One registry per server, so
 * tests and the benchmark can run several in one process.
 */
export interface GatewayMetrics {
  registry: Registry;
  requestDuration: Histogram<'operation_type' | 'outcome'>;
  authzDecisions: Counter<'role' | 'effect'>;
  refusedRequests: Counter<'reason'>;
  auditWriteFailures: Counter;
}

export function createGatewayMetrics(dataSource: DataSource): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'GraphQL requests from start to the response leaving, by operation type (query, mutation, none when the document did not resolve) and outcome',
    labelNames: ['operation_type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const authzDecisions = new Counter({
    name: 'gateway_authorization_decisions_total',
    help: 'Field decisions of the per-request plan, by role and effect (allow, mask, deny, row: decided per row by a condition)',
    labelNames: ['role', 'effect'],
    registers: [registry],
  });
  const refusedRequests = new Counter({
    name: 'gateway_refused_requests_total',
    help: 'Requests refused in whole or in part, by reason (unauthenticated, forbidden, rate_limited, too_complex, bad_input, unavailable)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const auditWriteFailures = new Counter({
    name: 'gateway_audit_write_failures_total',
    help: 'Audit events that could not be written (each request failed closed with 503)',
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_db_pool_connections',
    help: 'Database connections by state (open, idle, waiting: requests queued for a connection)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = connectionPoolState(dataSource);
      this.set({ state: 'open' }, state.open);
      this.set({ state: 'idle' }, state.idle);
      this.set({ state: 'waiting' }, state.waiting);
    },
  });
  new Gauge({
    name: 'gateway_db_up',
    help: 'Whether the DataSource is initialized (the readiness probe /readyz asks the database itself)',
    registers: [registry],
    collect() {
      this.set(dataSource.isInitialized ? 1 : 0);
    },
  });
  return { registry, requestDuration, authzDecisions, refusedRequests, auditWriteFailures };
}
