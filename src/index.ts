import 'reflect-metadata';
import http from 'node:http';
import { PolicyError } from './authz/policy-model';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { createLogger } from './logger';
import { trackRequests } from './request-drain';
import { createServer } from './server';

/** Bootstrap only: settings, database, listen, and a drain on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { dataSource, seeded } = await openDatabase(config);
  if (seeded) logger.info({ event: 'database.seeded' }, 'seeded the empty database with demo data');
  const gateway = await createServer({ config, dataSource, logger });
  const httpServer = http.createServer(gateway.app);
  const requests = trackRequests(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info(
    { event: 'server.listening', port, database: config.database.kind },
    `Privacy Gateway listening on http://localhost:${port}/graphql (database: ${config.database.kind})`,
  );

  /*
   * The order matters: stop accepting, let the requests in progress finish —
   * each answer leaves only after its audit event is committed, so once the
   * last connection closes no audit write is pending — then stop Apollo and
   * close the database. The deadline (DB_TIMEOUT_MS) bounds each request,
   * SHUTDOWN_TIMEOUT_MS the whole drain.
   */
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const began = Date.now();
    logger.info({ event: 'shutdown.started', signal, inFlight: requests.inFlight }, `${signal} received: finishing in-flight requests, then exiting`);
    setTimeout(() => {
      logger.error(
        { event: 'shutdown.timeout', inFlight: requests.inFlight, timeoutMs: config.shutdownTimeoutMs },
        `shutdown took longer than ${config.shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting anyway`,
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      const finished = await requests.drain();
      await gateway.stop();
      await dataSource.destroy();
      logger.info(
        { event: 'shutdown.drained', finished, durationMs: Date.now() - began },
        `drained: ${finished} in-flight request(s) finished; database closed; exiting`,
      );
      process.exit(0);
    } catch (error) {
      logger.error({ event: 'shutdown.failed', errorClass: (error as Error)?.name }, 'shutdown failed; exiting');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Settings and policy errors are ours and safe to show (names, files, lines); anything else may carry connection details.
  if (error instanceof ConfigError || error instanceof PolicyError) console.error(error.message);
  else console.error('failed to start:', error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');
  process.exit(1);
});
