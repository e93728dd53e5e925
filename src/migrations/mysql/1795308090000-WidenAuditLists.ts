import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An audit event's lists of touched ids outgrew TEXT (64 KB): MEDIUMTEXT
 * (16 MB), see src/entities/json-list-column.ts. Written by hand: TypeORM's
 * diff drops and re-adds a column whose type changes, which would lose the
 * events; MODIFY keeps them. SQLite's TEXT has no limit, so it has no such step.
 */
export class WidenAuditLists1795308090000 implements MigrationInterface {
    name = 'WidenAuditLists1795308090000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`audit_events\` MODIFY \`touched\` mediumtext NOT NULL, MODIFY \`customerIds\` mediumtext NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`audit_events\` MODIFY \`touched\` text NOT NULL, MODIFY \`customerIds\` text NOT NULL`);
    }

}
