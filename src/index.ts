import 'reflect-metadata';
import http from 'node:http';
import { PolicyError } from './authz/policy-model';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { createServer } from './server';

/** Bootstrap only: settings, database, listen, and a clean stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { dataSource, seeded } = await openDatabase(config);
  if (seeded) console.log('seeded the empty database with demo data');
  const gateway = await createServer({ config, dataSource });
  const httpServer = http.createServer(gateway.app);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  console.log(`Privacy Gateway listening on http://localhost:${port}/graphql (database: ${config.database.kind})`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests, then exiting`);
    // close() stops accepting and waits for open requests; idle keep-alive sockets would hold it open.
    httpServer.close(async () => {
      await gateway.stop();
      await dataSource.destroy();
      process.exit(0);
    });
    httpServer.closeIdleConnections();
    setTimeout(() => {
      console.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Settings and policy errors are ours and safe to show (names, files, lines); anything else may carry connection details.
  if (error instanceof ConfigError || error instanceof PolicyError) console.error(error.message);
  else console.error('failed to start:', error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');
  process.exit(1);
});
