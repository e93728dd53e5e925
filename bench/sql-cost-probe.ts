import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Config } from '../src/config';
import { GatewayDataSource, dataSourceOptions, detectMysqlFlavor } from '../src/db/data-source';
import { Keyring } from '../src/privacy/encryption/keyring';
import { createServer, type GatewayServer } from '../src/server';
import { createBaselineServer } from './baseline-server';
import type { BenchCallers } from './credentials';
import { openFloorDatabase, type FloorDatabase } from './floor-database';
import { createFloorHandler } from './floor-server';
import { noAuditDeps } from './no-audit-writer';
import { countRowsRead, emptyTally, tallyStatement, type ReadTally, type StatementPurpose } from './row-read-counter';
import type { Scenario, VariantName } from './scenarios';

export interface RequestCost {
  httpStatus: number;
  /** SQL statements the request caused, authentication and audit included (transaction control excluded). */
  statements: number;
  /** The same, by purpose: the query's own reads, the caller's authentication, the audit event. */
  statementsByPurpose: Record<StatementPurpose, number>;
  statementsByTable: Record<string, number>;
  rowsRead: number;
  rowsReadByTable: Record<string, number>;
  /** Nodes of the root list the query asks for. */
  rowsReturned: number;
  /** Rows read from the root list's own table. */
  listRowsRead: number;
  /** listRowsRead ÷ rowsReturned: 1.00 when the row filter is in the SQL. */
  rowsReadPerRowReturned: number;
}

export interface CostProbe {
  /** The gateway instance of the probe: its roles are the ones credentials are issued with. */
  gateway: GatewayServer;
  dataSource: DataSource;
  /** One request over HTTP, alone, with its SQL cost; the body is handed back for checking, never printed. */
  measure(variant: VariantName, authorization: string, scenario: Scenario): Promise<{ cost: RequestCost; body: unknown }>;
  close(): Promise<void>;
}

async function listenOnLoopback(app: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** The floor's database, with every statement and row counted like the gateway's (the floor reads, nothing else). */
function countingFloorDatabase(db: FloorDatabase, tally: () => ReadTally): FloorDatabase {
  return {
    async all(sql, params) {
      const rows = await db.all(sql, params);
      tallyStatement(tally(), sql, 'read', rows.length);
      return rows;
    },
    close: () => db.close(),
  };
}

/**
 * All variants in this process, the three servers on a DataSource of their
 * own whose query runners are counted (row-read-counter.ts), the floor on a
 * counted connection of its own, driven over loopback HTTP one request at a
 * time so that each count belongs to one request. Separate from the measured
 * child processes, which carry no instrumentation.
 */
export async function openCostProbe(config: Config, callers: () => BenchCallers): Promise<CostProbe> {
  const flavor = config.database.kind === 'mysql' ? await detectMysqlFlavor(config.database.url) : undefined;
  const dataSource = new GatewayDataSource(dataSourceOptions(config.database, { timeoutMs: config.dbTimeoutMs, flavor }));
  await dataSource.initialize();
  const counter = countRowsRead(dataSource);
  let floorTally = emptyTally();
  const floorDb = countingFloorDatabase(openFloorDatabase(config.database), () => floorTally);
  const gateway = await createServer({ config, dataSource });
  const baseline = await createBaselineServer({ config, dataSource });
  const noAudit = await createServer({ config, dataSource, ...noAuditDeps() });
  // The floor's callers are known only once credentials are issued (through the gateway's roles): asked per request.
  const floorHandler: http.RequestListener = (req, res) =>
    createFloorHandler({ db: floorDb, keyring: new Keyring(config.encryption), callers: callers() })(req, res);
  const listening = {
    gateway: await listenOnLoopback(gateway.app),
    'no-policy': await listenOnLoopback(baseline.app),
    'no-audit': await listenOnLoopback(noAudit.app),
    floor: await listenOnLoopback(floorHandler),
  } satisfies Record<VariantName, unknown>;

  return {
    gateway,
    dataSource,
    async measure(variant, authorization, scenario) {
      counter.take();
      floorTally = emptyTally();
      const response = await fetch(listening[variant].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: scenario.query }),
      });
      const body: unknown = await response.json();
      const tally: ReadTally = variant === 'floor' ? floorTally : counter.take();
      const nodes = (body as { data?: Record<string, { nodes?: unknown[] } | null> | null }).data?.[scenario.root]?.nodes;
      const rowsReturned = Array.isArray(nodes) ? nodes.length : 0;
      const listRowsRead = scenario.table === null ? 0 : (tally.rowsReadByTable[scenario.table] ?? 0);
      return {
        body,
        cost: {
          httpStatus: response.status,
          statements: tally.statements,
          statementsByPurpose: tally.statementsByPurpose,
          statementsByTable: tally.statementsByTable,
          rowsRead: tally.rowsRead,
          rowsReadByTable: tally.rowsReadByTable,
          rowsReturned,
          listRowsRead,
          rowsReadPerRowReturned: rowsReturned === 0 ? Number.NaN : listRowsRead / rowsReturned,
        },
      };
    },
    async close() {
      for (const { server } of Object.values(listening)) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await gateway.stop();
      await baseline.stop();
      await noAudit.stop();
      await floorDb.close();
      await dataSource.destroy();
    },
  };
}
