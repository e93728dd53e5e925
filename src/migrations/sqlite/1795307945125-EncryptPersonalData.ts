import { MigrationInterface, QueryRunner } from "typeorm";

export class EncryptPersonalData1795307945125 implements MigrationInterface {
    name = 'EncryptPersonalData1795307945125'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_customers_email"`);
        await queryRunner.query(`CREATE TABLE "temporary_customers" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(512) NOT NULL, "email" varchar(512) NOT NULL, "phone" varchar(512), "createdAt" datetime NOT NULL, "erasedAt" datetime, "emailHash" varchar(64))`);
        await queryRunner.query(`INSERT INTO "temporary_customers"("id", "name", "email", "phone", "createdAt", "erasedAt") SELECT "id", "name", "email", "phone", "createdAt", "erasedAt" FROM "customers"`);
        await queryRunner.query(`DROP TABLE "customers"`);
        await queryRunner.query(`ALTER TABLE "temporary_customers" RENAME TO "customers"`);
        await queryRunner.query(`DROP INDEX "IDX_addresses_customerId"`);
        await queryRunner.query(`CREATE TABLE "temporary_addresses" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "customerId" integer NOT NULL, "recipientName" varchar(512) NOT NULL, "line1" varchar(512) NOT NULL, "line2" varchar(512), "city" varchar(128) NOT NULL, "region" varchar(128), "postalCode" varchar(32) NOT NULL, "country" varchar(2) NOT NULL, "phone" varchar(512), "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "FK_b5976584943ec93aa5394a55320" FOREIGN KEY ("customerId") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_addresses"("id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone") SELECT "id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone" FROM "addresses"`);
        await queryRunner.query(`DROP TABLE "addresses"`);
        await queryRunner.query(`ALTER TABLE "temporary_addresses" RENAME TO "addresses"`);
        await queryRunner.query(`CREATE INDEX "IDX_addresses_customerId" ON "addresses" ("customerId") `);
        await queryRunner.query(`DROP INDEX "IDX_shipments_carrier_status"`);
        await queryRunner.query(`CREATE TABLE "temporary_shipments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "orderId" integer NOT NULL, "carrierId" integer, "status" varchar(32) NOT NULL, "trackingNumber" varchar(64), "recipientName" varchar(512), "line1" varchar(512), "line2" varchar(512), "city" varchar(128), "region" varchar(128), "postalCode" varchar(32), "country" varchar(2), "contactPhone" varchar(512), "shippedAt" datetime, "deliveredAt" datetime, "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "REL_13ba957bcb616719a0dc3fca82" UNIQUE ("orderId"), CONSTRAINT "FK_5db11b49ab93261e6282a166102" FOREIGN KEY ("carrierId") REFERENCES "partners" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_13ba957bcb616719a0dc3fca82f" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_shipments"("id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt") SELECT "id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt" FROM "shipments"`);
        await queryRunner.query(`DROP TABLE "shipments"`);
        await queryRunner.query(`ALTER TABLE "temporary_shipments" RENAME TO "shipments"`);
        await queryRunner.query(`CREATE INDEX "IDX_shipments_carrier_status" ON "shipments" ("carrierId", "status") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_customers_emailHash" ON "customers" ("emailHash") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_customers_emailHash"`);
        await queryRunner.query(`DROP INDEX "IDX_shipments_carrier_status"`);
        await queryRunner.query(`ALTER TABLE "shipments" RENAME TO "temporary_shipments"`);
        await queryRunner.query(`CREATE TABLE "shipments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "orderId" integer NOT NULL, "carrierId" integer, "status" varchar(32) NOT NULL, "trackingNumber" varchar(64), "recipientName" varchar(512), "line1" varchar(512), "line2" varchar(512), "city" varchar(128), "region" varchar(128), "postalCode" varchar(32), "country" varchar(2), "contactPhone" varchar(512), "shippedAt" datetime, "deliveredAt" datetime, CONSTRAINT "REL_13ba957bcb616719a0dc3fca82" UNIQUE ("orderId"), CONSTRAINT "FK_5db11b49ab93261e6282a166102" FOREIGN KEY ("carrierId") REFERENCES "partners" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_13ba957bcb616719a0dc3fca82f" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "shipments"("id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt") SELECT "id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt" FROM "temporary_shipments"`);
        await queryRunner.query(`DROP TABLE "temporary_shipments"`);
        await queryRunner.query(`CREATE INDEX "IDX_shipments_carrier_status" ON "shipments" ("carrierId", "status") `);
        await queryRunner.query(`DROP INDEX "IDX_addresses_customerId"`);
        await queryRunner.query(`ALTER TABLE "addresses" RENAME TO "temporary_addresses"`);
        await queryRunner.query(`CREATE TABLE "addresses" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "customerId" integer NOT NULL, "recipientName" varchar(512) NOT NULL, "line1" varchar(512) NOT NULL, "line2" varchar(512), "city" varchar(128) NOT NULL, "region" varchar(128), "postalCode" varchar(32) NOT NULL, "country" varchar(2) NOT NULL, "phone" varchar(512), CONSTRAINT "FK_b5976584943ec93aa5394a55320" FOREIGN KEY ("customerId") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "addresses"("id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone") SELECT "id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone" FROM "temporary_addresses"`);
        await queryRunner.query(`DROP TABLE "temporary_addresses"`);
        await queryRunner.query(`CREATE INDEX "IDX_addresses_customerId" ON "addresses" ("customerId") `);
        await queryRunner.query(`ALTER TABLE "customers" RENAME TO "temporary_customers"`);
        await queryRunner.query(`CREATE TABLE "customers" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(512) NOT NULL, "email" varchar(512) NOT NULL, "phone" varchar(512), "createdAt" datetime NOT NULL, "erasedAt" datetime)`);
        await queryRunner.query(`INSERT INTO "customers"("id", "name", "email", "phone", "createdAt", "erasedAt") SELECT "id", "name", "email", "phone", "createdAt", "erasedAt" FROM "temporary_customers"`);
        await queryRunner.query(`DROP TABLE "temporary_customers"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_customers_email" ON "customers" ("email") `);
    }

}
