import { MigrationInterface, QueryRunner } from "typeorm";

export class CompletePersonalDataEncryption1795308083059 implements MigrationInterface {
    name = 'CompletePersonalDataEncryption1795308083059'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedCity\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedRegion\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP COLUMN \`stagedPostalCode\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedCity\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedRegion\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP COLUMN \`stagedPostalCode\``);
        await queryRunner.query(`ALTER TABLE \`customers\` CHANGE \`emailHash\` \`emailHash\` varchar(64) NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`customers\` CHANGE \`emailHash\` \`emailHash\` varchar(64) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedPostalCode\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedRegion\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD \`stagedCity\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedPostalCode\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedRegion\` varchar(512) NULL`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD \`stagedCity\` varchar(512) NULL`);
    }

}
