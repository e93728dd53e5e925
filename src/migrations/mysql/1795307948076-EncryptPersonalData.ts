import { MigrationInterface, QueryRunner } from "typeorm";

export class EncryptPersonalData1795307948076 implements MigrationInterface {
    name = 'EncryptPersonalData1795307948076'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_customers_email\` ON \`customers\``);
        await queryRunner.query(`ALTER TABLE \`customers\` ADD \`emailHash\` varchar(64) NULL`);
        await queryRunner.query(`ALTER TABLE \`customers\` ADD UNIQUE INDEX \`IDX_c299dcaa87a8b214e297dce95a\` (\`emailHash\`)`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedCity\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedRegion\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedPostalCode\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedCity\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedRegion\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedPostalCode\` varchar(512) NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_customers_emailHash\` ON \`customers\` (\`emailHash\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_customers_emailHash\` ON \`customers\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedPostalCode\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedRegion\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedCity\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedPostalCode\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedRegion\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedCity\``);
        await queryRunner.query(`ALTER TABLE \`customers\` DROP INDEX \`IDX_c299dcaa87a8b214e297dce95a\``);
        await queryRunner.query(`ALTER TABLE \`customers\` DROP COLUMN \`emailHash\``);
        await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_customers_email\` ON \`customers\` (\`email\`)`);
    }

}
