import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditChain1795307702713 implements MigrationInterface {
    name = 'AuditChain1795307702713'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_head" ("id" integer PRIMARY KEY NOT NULL, "count" integer NOT NULL, "lastEventId" integer NOT NULL, "lastHash" varchar(64) NOT NULL)`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_subject"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_at"`);
        await queryRunner.query(`CREATE TABLE "temporary_audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" datetime NOT NULL, "role" varchar(32) NOT NULL, "subject" varchar(64), "partnerId" integer, "operation" varchar(128) NOT NULL, "purpose" varchar(64) NOT NULL, "touched" text NOT NULL, "prevHash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL, "outcome" varchar(16) NOT NULL, "customerIds" text NOT NULL)`);
        await queryRunner.query(`INSERT INTO "temporary_audit_events"("id", "at", "role", "subject", "partnerId", "operation", "purpose", "touched", "prevHash", "hash") SELECT "id", "at", "role", "subject", "partnerId", "operation", "purpose", "touched", "prevHash", "hash" FROM "audit_events"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
        await queryRunner.query(`ALTER TABLE "temporary_audit_events" RENAME TO "audit_events"`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_subject" ON "audit_events" ("subject") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_at" ON "audit_events" ("at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_role" ON "audit_events" ("role") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_partnerId" ON "audit_events" ("partnerId") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_audit_events_partnerId"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_role"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_at"`);
        await queryRunner.query(`DROP INDEX "IDX_audit_events_subject"`);
        await queryRunner.query(`ALTER TABLE "audit_events" RENAME TO "temporary_audit_events"`);
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" datetime NOT NULL, "role" varchar(32) NOT NULL, "subject" varchar(64), "partnerId" integer, "operation" varchar(128) NOT NULL, "purpose" varchar(64) NOT NULL, "touched" text NOT NULL, "prevHash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`);
        await queryRunner.query(`INSERT INTO "audit_events"("id", "at", "role", "subject", "partnerId", "operation", "purpose", "touched", "prevHash", "hash") SELECT "id", "at", "role", "subject", "partnerId", "operation", "purpose", "touched", "prevHash", "hash" FROM "temporary_audit_events"`);
        await queryRunner.query(`DROP TABLE "temporary_audit_events"`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_at" ON "audit_events" ("at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_subject" ON "audit_events" ("subject") `);
        await queryRunner.query(`DROP TABLE "audit_head"`);
    }

}
