import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditChain1795307704693 implements MigrationInterface {
    name = 'AuditChain1795307704693'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`audit_head\` (\`id\` int NOT NULL, \`count\` int NOT NULL, \`lastEventId\` int NOT NULL, \`lastHash\` varchar(64) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`audit_events\` ADD \`outcome\` varchar(16) NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`audit_events\` ADD \`customerIds\` text NOT NULL`);
        await queryRunner.query(`CREATE INDEX \`IDX_audit_events_role\` ON \`audit_events\` (\`role\`)`);
        await queryRunner.query(`CREATE INDEX \`IDX_audit_events_partnerId\` ON \`audit_events\` (\`partnerId\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_partnerId\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_role\` ON \`audit_events\``);
        await queryRunner.query(`ALTER TABLE \`audit_events\` DROP COLUMN \`customerIds\``);
        await queryRunner.query(`ALTER TABLE \`audit_events\` DROP COLUMN \`outcome\``);
        await queryRunner.query(`DROP TABLE \`audit_head\``);
    }

}
