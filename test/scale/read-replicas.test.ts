import type { DataSource } from 'typeorm';
import type { Config, DatabaseSettings } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { servingTuning } from '../../src/db/open-database';
import { QueryCounter, runWithQueryCounter } from '../../src/db/query-counter';
import { replicaStatus } from '../../src/db/read-routing';
import { ShipmentStatus } from '../../src/domain/statuses';
import { AddressEntity } from '../../src/entities/address.entity';
import { ShipmentEntity } from '../../src/entities/shipment.entity';
import { installKeyring } from '../../src/privacy/encryption/installed-keyring';
import { Keyring } from '../../src/privacy/encryption/keyring';
import { verifyAuditChain } from '../../src/privacy/audit/audit-verify';
import { seedDemoData } from '../../src/seed/demo-seed';
import { createServer, type GatewayServer } from '../../src/server';
import { describeWithPrivateMariaDb } from '../faults/describe-with-mariadb';
import { listen } from '../support/gateway';
import { GatewayClient } from '../support/http-client';
import type { PrivateMariaDb } from '../support/mariadb-process';
import { TEST_ENCRYPTION, testConfig } from '../support/test-database';
import { testLogger, watchPersonalValues } from '../support/test-logs';
import { issuePartnerToken, personJwt, revokePartnerToken } from '../support/tokens';
import { type ReplicatedPair, startReplicatedPair } from './mariadb-replication';

/*
 * DATABASE_REPLICA_URLS against a real primary and replica (private MariaDB
 * servers, binary-log replication with GTIDs; the replica is read-only for the
 * gateway's account). Which server ran what is read from each server's general
 * log, filtered to the gateway's account:
 *
 * - a query's reads run on the replica; its audit event (and the chain head's
 *   locked read) on the primary; a mutation runs entirely on the primary;
 * - with the replica lagging (its SQL thread stopped), a request that wrote
 *   reads its own write back from the primary; a later read-only request may
 *   still see the replica's older state, until it catches up; a partner token
 *   issued meanwhile works at once and one revoked meanwhile is refused at once
 *   (tokens are read from the primary); a courier's second status move decides
 *   on the status its first one wrote (a mutation reads the primary);
 * - with the replica down, reads go to the primary and /readyz stays ready;
 *   once the replica is back, reads return to it.
 */

const GATEWAY_PASSWORD = 'replica-test-Pa55word';
const STAFF_LIST = '{ customers(first: 3) { nodes { id name email } } }';
const ADDRESSES = 'query Mine($id: ID!) { customer(id: $id) { addresses { id line1 } } }';
const CORRECT_ADDRESS = `mutation Correct($id: ID!, $input: AddressInput!) {
  updateMyAddress(id: $id, input: $input) { id line1 }
  updateMyProfile(input: { phone: "+49 30 901820" }) { addresses { id line1 } }
}`;
const MOVE = 'mutation Move($id: ID!, $status: ShipmentStatus!) { updateShipmentStatus(id: $id, status: $status) { id status } }';

const gatewayUrl = (server: PrivateMariaDb): string => `mysql://gateway:${GATEWAY_PASSWORD}@127.0.0.1:${server.port}/gw`;
const isWrite = (sql: string): boolean => /^\s*(INSERT|UPDATE|DELETE|REPLACE|START TRANSACTION|BEGIN|COMMIT|SAVEPOINT|CREATE|ALTER|DROP|TRUNCATE)\b/i.test(sql);

describeWithPrivateMariaDb('read replicas (private MariaDB primary and replica)', () => {
  let pair: ReplicatedPair;
  let setup: DataSource;
  let ds: DataSource;
  let server: GatewayServer;
  let http: { url: string; close(): Promise<void> };
  let config: Config;
  let staff: GatewayClient;
  let admin: GatewayClient;
  const timings: Record<string, number> = {};

  /** Turns on each server's general log as a table (not kept across a restart) and empties it. */
  const watchStatements = async (...servers: PrivateMariaDb[]): Promise<void> => {
    for (const s of servers) {
      await pair.query(s, "SET GLOBAL log_output = 'TABLE'");
      await pair.query(s, 'SET GLOBAL general_log = ON');
      await pair.query(s, 'TRUNCATE TABLE mysql.general_log');
    }
  };
  /** The statements the gateway's account sent to `on` since watchStatements. */
  const statementsOn = async (on: PrivateMariaDb): Promise<string[]> => {
    const rows = await pair.query<Array<{ sql: Buffer | string }>>(
      on,
      "SELECT argument AS `sql` FROM mysql.general_log WHERE user_host LIKE 'gateway[gateway]%' AND command_type = 'Query' ORDER BY event_time",
    );
    return rows.map((r) => r.sql.toString());
  };

  beforeAll(async () => {
    let began = Date.now();
    pair = await startReplicatedPair();
    timings.replicatedPairMs = Date.now() - began;
    began = Date.now();
    // Everything below happens on the primary and replicates: the database, the gateway's account, the schema, the data.
    await pair.query(pair.primary, 'CREATE DATABASE gw CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await pair.query(pair.primary, "CREATE USER 'gateway'@'127.0.0.1' IDENTIFIED BY ?", [GATEWAY_PASSWORD]);
    await pair.query(pair.primary, "GRANT ALL ON gw.* TO 'gateway'@'127.0.0.1'");
    installKeyring(new Keyring(TEST_ENCRYPTION));
    setup = await createDataSource({ kind: 'mysql', url: pair.primary.url('gw'), database: 'gw' }, { timeoutMs: 5_000 });
    await setup.initialize();
    await setup.runMigrations({ transaction: 'each' });
    await seedDemoData(setup, { customers: 12 });
    await watchPersonalValues(setup);
    await pair.caughtUp();
    timings.schemaAndSeedMs = Date.now() - began;

    const primary: DatabaseSettings = { kind: 'mysql', url: gatewayUrl(pair.primary), database: 'gw' };
    config = testConfig(primary, { databaseReplicaUrls: [gatewayUrl(pair.replica)], dbTimeoutMs: 3_000 });
    // As src/db/open-database.ts opens the serving DataSource; a replica that refused a connection is retried after 300 ms, not 5 s.
    ds = await createDataSource(config.database, { ...servingTuning(config), replicaRetryMs: 300 });
    await ds.initialize();
    // The plugin (mutations read the primary) is passed here as src/server.ts would register it.
    server = await createServer({ config, dataSource: ds, logger: testLogger() });
    http = await listen(server);
    staff = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(config.auth, 'staff', 'staff-replicas'));
    admin = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(config.auth, 'admin', 'admin-replicas'));
  }, 60_000);

  afterAll(async () => {
    await http?.close();
    await server?.stop();
    if (ds?.isInitialized) await ds.destroy();
    if (setup?.isInitialized) await setup.destroy();
    await pair?.stop();
    console.log(`read-replicas timings (ms): ${JSON.stringify(timings)}`);
  });

  test('a query reads from the replica and writes its audit event on the primary; a mutation runs on the primary only', async () => {
    await watchStatements(pair.primary, pair.replica);
    expect((await staff.data(STAFF_LIST)).customers.nodes).toHaveLength(3);
    const onReplica = await statementsOn(pair.replica);
    const onPrimary = await statementsOn(pair.primary);
    expect(onReplica.filter((sql) => /^SELECT .*FROM `customers`/is.test(sql))).toHaveLength(1);
    expect(onReplica.filter(isWrite)).toEqual([]);
    expect(onPrimary.filter((sql) => /FROM `customers`/i.test(sql))).toEqual([]);
    expect(onPrimary.filter((sql) => /^INSERT INTO `audit_events`/i.test(sql))).toHaveLength(1);
    expect(onPrimary.filter((sql) => /FROM `audit_head`.* FOR UPDATE/is.test(sql))).toHaveLength(1);

    await watchStatements(pair.primary, pair.replica);
    const customer = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(config.auth, 'customer', '1'));
    await customer.data('mutation { setConsent(purpose: MARKETING, granted: true) { purpose granted } }');
    expect(await statementsOn(pair.replica)).toEqual([]);
    expect((await statementsOn(pair.primary)).filter((sql) => /`consents`/.test(sql)).length).toBeGreaterThan(0);
  });

  test('with the replica lagging: a request reads its own writes, partner tokens count at once, a second status move sees the first', async () => {
    const address = (await setup.getRepository(AddressEntity).find({ order: { id: 'ASC' }, take: 1 }))[0]!;
    const shipment = (await setup.getRepository(ShipmentEntity).find({ where: { status: ShipmentStatus.READY_FOR_PICKUP }, order: { id: 'ASC' }, take: 1 }))[0]!;
    const customer = GatewayClient.bearer(`${http.url}/graphql`, await personJwt(config.auth, 'customer', String(address.customerId)));
    const line1Of = (addresses: Array<{ id: string; line1: string }>) => addresses.find((a) => a.id === String(address.id))?.line1;
    const earlierToken = await issuePartnerToken(admin, shipment.carrierId!);
    await pair.caughtUp();

    await pair.stopApplying();
    const began = Date.now();
    const before = line1Of((await customer.data(ADDRESSES, { id: String(address.customerId) })).customer.addresses);
    expect(before).toBe(address.line1);

    // One request: the correction, then the customer's addresses read back in the same request.
    const corrected = `${before} (corrected)`;
    const input = { line1: corrected, city: address.city, country: address.country, postalCode: address.postalCode, recipientName: address.recipientName };
    const wrote = await customer.data(CORRECT_ADDRESS, { id: String(address.id), input });
    expect(wrote.updateMyAddress.line1).toBe(corrected);
    expect(line1Of(wrote.updateMyProfile.addresses)).toBe(corrected);
    // A later read-only request is served by the lagging replica: it may show the state before the correction.
    expect(line1Of((await customer.data(ADDRESSES, { id: String(address.customerId) })).customer.addresses)).toBe(before);

    // Any write sends the rest of its request to the primary, not only a GraphQL mutation's (read-routing.ts, ReadYourWrites).
    const phoneOf = async (): Promise<string | null> => (await ds.getRepository(AddressEntity).findOneByOrFail({ id: address.id })).phone;
    const phoneBefore = await phoneOf();
    const readBack = await runWithQueryCounter(new QueryCounter(), async () => {
      const stale = await phoneOf();
      await ds.getRepository(AddressEntity).update({ id: address.id }, { phone: '+49 30 901821' });
      return [stale, await phoneOf()];
    });
    expect(readBack).toEqual([phoneBefore, '+49 30 901821']);
    expect(await phoneOf()).toBe(phoneBefore);

    // A token issued while the replica lags works at once; the courier's second move decides on the status its first one wrote.
    const laterToken = await issuePartnerToken(admin, shipment.carrierId!);
    const courier = GatewayClient.bearer(`${http.url}/graphql`, laterToken.token);
    expect((await courier.data(MOVE, { id: String(shipment.id), status: 'IN_TRANSIT' })).updateShipmentStatus.status).toBe('IN_TRANSIT');
    expect((await courier.data(MOVE, { id: String(shipment.id), status: 'DELIVERED' })).updateShipmentStatus.status).toBe('DELIVERED');

    // A token revoked while the replica lags (which still holds it unrevoked) is refused at once.
    expect(await revokePartnerToken(admin, earlierToken.id)).toBe(true);
    const onReplica = await pair.query<Array<{ revokedAt: Date | null }>>(pair.replica, 'SELECT revokedAt FROM gw.partner_tokens WHERE id = ?', [earlierToken.id]);
    expect(onReplica).toEqual([{ revokedAt: null }]);
    const refused = await GatewayClient.bearer(`${http.url}/graphql`, earlierToken.token).request('{ shipments(first: 1) { nodes { id } } }');
    expect(refused.status).toBe(401);
    timings.whileLaggingMs = Date.now() - began;

    await pair.startApplying();
    await pair.caughtUp();
    expect(line1Of((await customer.data(ADDRESSES, { id: String(address.customerId) })).customer.addresses)).toBe(corrected);
    timings.convergedAfterMs = Date.now() - began;
  });

  test('with the replica down, reads go to the primary and /readyz stays ready; once it is back, reads return to it', async () => {
    await pair.replica.kill();
    const began = Date.now();
    const res = await staff.request(STAFF_LIST);
    expect({ status: res.status, errors: res.errors, rows: res.data?.customers?.nodes?.length }).toEqual({ status: 200, errors: undefined, rows: 3 });
    expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
    expect(replicaStatus(ds)).toMatchObject({ replicas: 1, unavailableSince: expect.any(Date), lastErrorCode: 'ECONNREFUSED' });
    timings.degradedReadMs = Date.now() - began;

    await pair.replica.restart();
    // Replication resumes with the server; START SLAVE is a no-op when it already did.
    await pair.query(pair.replica, 'START SLAVE');
    await pair.caughtUp();
    await watchStatements(pair.replica);
    const deadline = Date.now() + 10_000;
    while ((await statementsOn(pair.replica)).length === 0) {
      if (Date.now() > deadline) throw new Error('reads did not return to the replica within 10 s of its restart');
      expect((await staff.request(STAFF_LIST)).status).toBe(200);
    }
    expect(replicaStatus(ds)).toMatchObject({ unavailableSince: null, lastErrorCode: null });
    timings.backOnReplicaMs = Date.now() - began;

    // Every answer above has its event, on the primary's one chain.
    expect(await verifyAuditChain(setup)).toMatchObject({ ok: true });
  });
});
