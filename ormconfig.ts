import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource, ensureStorage } from './src/db/data-source';
import { installKeyring } from './src/privacy/encryption/installed-keyring';
import { Keyring } from './src/privacy/encryption/keyring';

/**
 * The DataSource of the database named by DATABASE_URL, for the TypeORM CLI
 * (`npx typeorm -d dist/ormconfig.js migration:generate …`). The app and the
 * tests build theirs with the same `createDataSource()`.
 */
const config = loadConfig();
// migration:run encrypts rows written before encryption at rest with these keys.
installKeyring(new Keyring(config.encryption));
ensureStorage(config.database);
export default createDataSource(config.database, { timeoutMs: config.dbTimeoutMs });
