import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Data step, written by hand (the schema steps around it are generated):
 * WidenEncryptedAddressColumns re-created city, region and postalCode empty
 * (TypeORM widens a MySQL column by dropping and re-adding it); their
 * ciphertext waited in the staging columns, and goes back now.
 */
export class RestoreEncryptedAddressColumns1795308020186 implements MigrationInterface {
    name = 'RestoreEncryptedAddressColumns1795308020186'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['addresses', 'shipments']) {
            await queryRunner.query(`UPDATE \`${table}\` SET \`city\` = \`stagedCity\`, \`region\` = \`stagedRegion\`, \`postalCode\` = \`stagedPostalCode\``);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['addresses', 'shipments']) {
            await queryRunner.query(`UPDATE \`${table}\` SET \`stagedCity\` = \`city\`, \`stagedRegion\` = \`region\`, \`stagedPostalCode\` = \`postalCode\``);
        }
    }

}
