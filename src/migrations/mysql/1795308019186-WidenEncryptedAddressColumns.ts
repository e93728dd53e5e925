import { MigrationInterface, QueryRunner } from "typeorm";

export class WidenEncryptedAddressColumns1795308019186 implements MigrationInterface {
    name = 'WidenEncryptedAddressColumns1795308019186'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_c299dcaa87a8b214e297dce95a\` ON \`customers\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`city\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`city\` varchar(512) NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`region\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`region\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`postalCode\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`postalCode\` varchar(512) NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`city\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`city\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`region\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`region\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`postalCode\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`postalCode\` varchar(512) NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`postalCode\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`postalCode\` varchar(32) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`region\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`region\` varchar(128) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`city\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`city\` varchar(128) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`postalCode\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`postalCode\` varchar(32) NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`region\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`region\` varchar(128) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`city\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`city\` varchar(128) NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX \`IDX_c299dcaa87a8b214e297dce95a\` ON \`customers\` (\`emailHash\`)`);
    }

}
