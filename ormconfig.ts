import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource, ensureStorage } from './src/db/data-source';

/**
 * The DataSource of the database named by DATABASE_URL, for the TypeORM CLI
 * (`npx typeorm -d dist/ormconfig.js migration:generate …`). The app and the
 * tests build theirs with the same `createDataSource()`.
 */
const config = loadConfig();
ensureStorage(config.database);
export default createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
