import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { Config } from '../src/config';
import { dataSourceOptions, detectMysqlFlavor } from '../src/db/data-source';
import { createServer, type GatewayServer } from '../src/server';
import { createBaselineServer } from './baseline-server';
import { createNoAuditWriter } from './no-audit-writer';
import { countRowsRead, type ReadTally } from './row-read-counter';

export interface RequestCost {
  httpStatus: number;
  /** SQL statements the request issued, authentication included (transaction control excluded). */
  statements: number;
  statementsByTable: Record<string, number>;
  rowsRead: number;
  rowsReadByTable: Record<string, number>;
  /** Nodes of the list the query asks for. */
  rowsReturned: number;
  /** Rows read from the list's own table. */
  listRowsRead: number;
  /** listRowsRead ÷ rowsReturned: 1.00 when the row filter is in the SQL. */
  rowsReadPerRowReturned: number;
}

export interface CostProbe {
  /** The gateway instance of the probe: its roles are the ones credentials are issued with. */
  gateway: GatewayServer;
  dataSource: DataSource;
  urls: { gateway: string; 'no-policy': string; 'no-audit': string };
  /** One request over HTTP, alone, with its SQL cost; the body is handed back for checking, never printed. */
  measure(url: string, authorization: string, query: string, list: { field: string; table: string }): Promise<{ cost: RequestCost; body: unknown }>;
  close(): Promise<void>;
}

async function listenOnLoopback(app: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/**
 * Both variants in this process, on a DataSource of their own whose query
 * runners are counted (row-read-counter.ts), driven over loopback HTTP one
 * request at a time so that each count belongs to one request. Separate from
 * the measured child processes, which carry no instrumentation.
 */
export async function openCostProbe(config: Config): Promise<CostProbe> {
  const flavor = config.database.kind === 'mysql' ? await detectMysqlFlavor(config.database.url) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config.database, { timeoutMs: config.dbTimeoutMs, flavor }));
  await dataSource.initialize();
  const counter = countRowsRead(dataSource);
  const gateway = await createServer({ config, dataSource });
  const baseline = await createBaselineServer({ config, dataSource });
  const noAudit = await createServer({ config, dataSource, auditWriter: createNoAuditWriter() });
  const gatewayHttp = await listenOnLoopback(gateway.app);
  const baselineHttp = await listenOnLoopback(baseline.app);
  const noAuditHttp = await listenOnLoopback(noAudit.app);

  return {
    gateway,
    dataSource,
    urls: { gateway: gatewayHttp.url, 'no-policy': baselineHttp.url, 'no-audit': noAuditHttp.url },
    async measure(url, authorization, query, list) {
      counter.take();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query }),
      });
      const body: unknown = await response.json();
      const tally: ReadTally = counter.take();
      const nodes = (body as { data?: Record<string, { nodes?: unknown[] } | null> | null }).data?.[list.field]?.nodes;
      const rowsReturned = Array.isArray(nodes) ? nodes.length : 0;
      const listRowsRead = tally.rowsReadByTable[list.table] ?? 0;
      return {
        body,
        cost: {
          httpStatus: response.status,
          statements: tally.statements,
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
      for (const { server } of [gatewayHttp, baselineHttp, noAuditHttp]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await gateway.stop();
      await baseline.stop();
      await noAudit.stop();
      await dataSource.destroy();
    },
  };
}
