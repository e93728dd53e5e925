import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Data step, written by hand (the schema steps around it are generated):
 * city, region and postalCode take back their ciphertext from the staging
 * columns (on SQLite they still held plaintext). Then VACUUM: the rebuilt
 * tables and the old email index left plaintext in free pages and in the
 * write-ahead log, and a copy of the file must not show it. VACUUM cannot run
 * inside a transaction; each UPDATE is atomic and re-running them is harmless.
 */
export class RestoreEncryptedAddressColumns1795308014571 implements MigrationInterface {
    name = 'RestoreEncryptedAddressColumns1795308014571'
    transaction = false

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['addresses', 'shipments']) {
            await queryRunner.query(`UPDATE "${table}" SET "city" = "stagedCity", "region" = "stagedRegion", "postalCode" = "stagedPostalCode"`);
        }
        await queryRunner.query(`VACUUM`);
        await queryRunner.query(`PRAGMA wal_checkpoint(TRUNCATE)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['addresses', 'shipments']) {
            await queryRunner.query(`UPDATE "${table}" SET "stagedCity" = "city", "stagedRegion" = "region", "stagedPostalCode" = "postalCode"`);
        }
    }

}
