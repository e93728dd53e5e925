/**
 * What `npm run bench -- --quick --profile` showed, written down by hand
 * after profiling (a profile skews throughput, so it is never part of a
 * measured run). Rendered into bench/report.md as it stands: update it, with
 * its date, when a new profile changes the picture.
 */
export const PROFILE_FINDINGS = `Profiles of (a), the staff list, on the embedded SQLite (\`npm run bench -- --quick --profile\`: the gateway and
the no-policy server under \`--cpu-prof\`, only the measured rounds counted), 2026-11-22.

**Before optimizing** (loaders on TypeORM's \`getMany()\`): 37.6 ms of CPU per request on the gateway, 33.0 ms without
the policy layer.

- Decryption: 11.2 ms (30 %). Every encrypted column of every row read was decrypted when the row was hydrated:
  7 per shipment and 3 per customer, about 3,700 AES-256-GCM decryptions, for the 1,800 values the answer holds.
  Each costs about 3 µs, most of it in Node's \`createDecipheriv\` (a cipher object per value; Node 20 has no
  one-shot AEAD call).
- TypeORM: 7.3 ms of its own (the row-to-entity transformer and date normalization for every column of every row,
  query building, the driver call).
- Garbage collection 6.4 ms, graphql-js execution 3.6 ms, Apollo (mostly the response's JSON) 1.3 ms.
- The policy layer and the audit trail together, gateway minus no-policy: 4.7 ms, spread thin: the field guard's
  wrapper 0.6 ms, masks 0.55 ms, the audit recorder's per-value bookkeeping 0.4 ms, the audit event's hash 0.16 ms
  and its insert (TypeORM) about 1 ms, more garbage collection 0.7 ms.

**What changed** (\`src/loaders/read-entities.ts\`, \`src/loaders/lazy-columns.ts\`): the loaders read raw rows and
build the entities themselves, converting a column only when it is read. A personal column is decrypted the first
time a resolver (or anything else) reads it, so the staff list decrypts the 3 shipment columns it answers, not 7;
dates are converted the same way; ids, foreign keys and statuses are plain properties. The entities keep their
class and every property (own, enumerable), so spreading, \`Object.assign\`, JSON and the export's categories see the
same values as before (test/graphql/sql-statement-growth.db.test.ts compares them with \`getMany()\`'s). Decryption
fell to about 1,800 per request, TypeORM's own time to the query and the driver call.

**What stands in the way now** (same profile after the change, on a machine shared with other work):

- Garbage collection, 18-30 % of the gateway's time (more on MySQL, whose driver allocates a string per column
  value). A larger young generation cuts it: with \`--max-semi-space-size=64\` the gateway's CPU per request fell by
  about 15 %, the no-policy server's by about 20 % and the floor's not at all, in alternating rounds on this machine.
  It is a flag of \`node\`, so \`npm start\` now carries it, and the bench gives every process (the variants and
  the floor alike) the flags of \`npm start\`: the figures above are measured with it.
- Decryption, about 20 %: the floor pays the same (it decrypts the same values), so it does not widen the gap.
- Per-field work of GraphQL: graphql-js, type-graphql's resolver wrappers, DataLoader and the promises of nested
  fields, about 20 %. The floor has none of it, and it is most of the distance to the floor.
- The policy layer's per-value work (the field guard's plan lookup per field, the audit recorder's per-value
  bookkeeping, the masks: about 3-4 ms per request of (a)) stays the same while everything else gets cheaper, so
  \`authzThroughputRatio\` does not improve with the rest. Levers there (src/authz, src/privacy/audit): plan
  entries indexed per field at start-up instead of a string-keyed lookup per value, the recorder keyed per row
  rather than per field and row, and a cheaper \`name\` mask (split, Unicode test and normalization per value).
- On MySQL the audit event costs more than on SQLite: its \`touched\` list (every row id per field, about 30 KB for
  (a)) is serialized, hashed, escaped into the INSERT and sent, inside the chain head's lock.`;
