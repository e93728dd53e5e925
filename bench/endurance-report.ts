import type { EnduranceResults } from './endurance';
import { ENDURANCE_KINDS } from './endurance-mix';

const n0 = (v: number): string => v.toFixed(0);
const n1 = (v: number): string => v.toFixed(1);

/** The report's section on the endurance stage (bench/endurance.ts): counts only, no values. */
export function renderEnduranceSection(e: EnduranceResults): string {
  const kinds = ENDURANCE_KINDS.map((kind) => {
    const c = e.byKind[kind];
    return `| ${kind} | ${c.sent} | ${c.successes} | ${c.non2xx} | ${c.graphqlErrors} | ${c.withoutData + c.malformed} |`;
  }).join('\n');
  const roles = Object.entries(e.audit.byRole)
    .map(([role, { events, successes }]) => `${role} ${events} ÷ ${successes}`)
    .join(', ');
  const errorParts = [
    `non-2xx ${e.errors.non2xx}${e.errors.non2xx > 0 ? ` (${Object.entries(e.errors.non2xxByStatus).map(([s, n]) => `${n} × ${s}`).join(', ')})` : ''}`,
    `GraphQL errors ${e.errors.graphqlErrors}`,
    `without personal data or not JSON ${e.errors.withoutData + e.errors.malformed}`,
    `connection errors ${e.errors.connectionErrors}`,
    `timeouts ${e.errors.timeouts}`,
    `failed drain requests ${e.errors.drain}`,
  ].join(', ');
  return `## (f) Endurance: ${e.connections} mixed clients for ${e.seconds} s on ${e.database.server.startsWith('sqlite') ? 'the embedded SQLite' : 'MySQL/MariaDB'}

Issue 5: under sustained concurrent load the gateway answers without errors, and every successful
response has its audit event. ${e.passed ? '**Passed.**' : `**Failed:** ${e.problems.join('; ')}.`}

- Database: ${e.database.server}, a scratch database of its own (${e.database.seed.customers} customers, ${e.database.seed.orders} orders),
  dropped afterwards; the gateway opens it with the serving tuning of \`src/index.ts\` (statement timeouts).
- Load: ${e.connections} connections, closed loop, for ${e.seconds} s: **${e.requests} requests** in ${n1(e.loadSec)} s, **${n1(e.requestsPerSec)} req/s**,
  latency p50 **${n0(e.latencyP50Ms)} ms**, p99 **${n0(e.latencyP99Ms)} ms** (p99 ÷ p50 = ${(e.latencyP99Ms / e.latencyP50Ms).toFixed(2)}), max ${n0(e.latencyMaxMs)} ms;
  peak RSS of the gateway process ${e.peakRssMiB} MiB.
- Errors: **${e.errors.total}** (${errorParts}); requests sent but never answered: ${e.errors.unanswered}.
- Audit: **${e.audit.events} events for ${e.audit.successes} successful responses** (${e.audit.equal ? 'equal' : '**not equal**'}); per role,
  events ÷ successes: ${roles}. The chain ${e.audit.chain.ok ? `verifies (\`verifyAuditChain\`, ${e.audit.chain.events} events in all)` : `**does not verify**: ${e.audit.chain.problem ?? ''}`}.
- The rate limit is set to ${e.rateLimitPerMinute.toLocaleString('en-US')} requests per minute in \`bench/bench-config.ts\`, on purpose:
  the run measures the gateway and its audit trail, not the throttle. With the production budget
  these clients would be answered 429 \`RATE_LIMITED\` long before the end.

| kind | sent | successes | non-2xx | GraphQL errors | no personal data |
|---|---|---|---|---|---|
${kinds}

The mix (${e.principals.staff} staff members, ${e.principals.admins} admins, ${e.principals.customers} customers, ${e.principals.couriers} couriers and ${e.principals.paymentProcessors} payment
processors, each with a real credential): staff list 20 orders with the customer's email and the shipment's
recipient (masked); customers export their data (\`myData\`), list their own orders and flip a consent
(\`setConsent\`, a mutation); couriers list their active shipments, payment processors their active payments; admins
list 10 customers with their contacts. Every one reads personal data or mutates, so every success must write
exactly one event; before the load each request of the mix is sent once and must write exactly one. Each connection
starts at another place in the mix, so all kinds are in flight together. When the time is up, the connections
send an anonymous \`{ __typename }\` (no data, no audit event) until the last request of the mix is answered
(${n1(e.drain.seconds)} s, ${e.drain.answered} such requests): stopping the load generator outright would drop requests the
gateway still completes and audits. The count is of the rows of \`audit_events\` with an id above the highest one before the
load, read after the gateway stopped.
`;
}
