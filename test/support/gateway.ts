import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal } from '../../src/auth/principal';
import type { Config } from '../../src/config';
import { QueryCounter, runWithQueryCounter } from '../../src/db/query-counter';
import { createServer, type GatewayServer } from '../../src/server';
import { testConfig, type TestDatabase } from './test-database';
import { testLogger } from './test-logs';

export interface ExecResult {
  data: Record<string, any> | null | undefined;
  errors: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> | undefined;
  /** SQL statements the operation issued. */
  statements: number;
}

export interface TestGateway {
  server: GatewayServer;
  /** Runs an operation in-process, as `principal`, counting its SQL statements. */
  exec(query: string, variables?: Record<string, unknown>, principal?: Principal): Promise<ExecResult>;
  close(): Promise<void>;
}

/** `as` is the principal `exec` runs as when it is given none. */
export async function startGateway(db: TestDatabase, overrides: Partial<Config> = {}, as?: Principal): Promise<TestGateway> {
  const server = await createServer({ config: testConfig(db.settings, overrides), dataSource: db.dataSource, logger: testLogger() });
  return {
    server,
    async exec(query, variables, principal) {
      const counter = new QueryCounter();
      const response = await runWithQueryCounter(counter, () =>
        server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(principal ?? as) }),
      );
      if (response.body.kind !== 'single') throw new Error('expected a single (non-incremental) result');
      const { data, errors } = response.body.singleResult;
      return { data, errors: errors as ExecResult['errors'], statements: counter.statements };
    },
    close: () => server.stop(),
  };
}

/** The gateway's Express app on a real HTTP port of the loopback interface. */
export async function listen(server: GatewayServer): Promise<{ url: string; close(): Promise<void> }> {
  const httpServer = http.createServer(server.app);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.closeAllConnections();
        httpServer.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
