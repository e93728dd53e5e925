import { MigrationInterface, QueryRunner } from "typeorm";

export class WidenEncryptedAddressColumns1795308013571 implements MigrationInterface {
    name = 'WidenEncryptedAddressColumns1795308013571'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_addresses_customerId"`);
        await queryRunner.query(`CREATE TABLE "temporary_addresses" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "customerId" integer NOT NULL, "recipientName" varchar(512) NOT NULL, "line1" varchar(512) NOT NULL, "line2" varchar(512), "city" varchar(512) NOT NULL, "region" varchar(512), "postalCode" varchar(512) NOT NULL, "country" varchar(2) NOT NULL, "phone" varchar(512), "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "FK_b5976584943ec93aa5394a55320" FOREIGN KEY ("customerId") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_addresses"("id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone", "stagedCity", "stagedRegion", "stagedPostalCode") SELECT "id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone", "stagedCity", "stagedRegion", "stagedPostalCode" FROM "addresses"`);
        await queryRunner.query(`DROP TABLE "addresses"`);
        await queryRunner.query(`ALTER TABLE "temporary_addresses" RENAME TO "addresses"`);
        await queryRunner.query(`CREATE INDEX "IDX_addresses_customerId" ON "addresses" ("customerId") `);
        await queryRunner.query(`DROP INDEX "IDX_shipments_carrier_status"`);
        await queryRunner.query(`CREATE TABLE "temporary_shipments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "orderId" integer NOT NULL, "carrierId" integer, "status" varchar(32) NOT NULL, "trackingNumber" varchar(64), "recipientName" varchar(512), "line1" varchar(512), "line2" varchar(512), "city" varchar(512), "region" varchar(512), "postalCode" varchar(512), "country" varchar(2), "contactPhone" varchar(512), "shippedAt" datetime, "deliveredAt" datetime, "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "REL_13ba957bcb616719a0dc3fca82" UNIQUE ("orderId"), CONSTRAINT "FK_13ba957bcb616719a0dc3fca82f" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_5db11b49ab93261e6282a166102" FOREIGN KEY ("carrierId") REFERENCES "partners" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_shipments"("id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt", "stagedCity", "stagedRegion", "stagedPostalCode") SELECT "id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt", "stagedCity", "stagedRegion", "stagedPostalCode" FROM "shipments"`);
        await queryRunner.query(`DROP TABLE "shipments"`);
        await queryRunner.query(`ALTER TABLE "temporary_shipments" RENAME TO "shipments"`);
        await queryRunner.query(`CREATE INDEX "IDX_shipments_carrier_status" ON "shipments" ("carrierId", "status") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_shipments_carrier_status"`);
        await queryRunner.query(`ALTER TABLE "shipments" RENAME TO "temporary_shipments"`);
        await queryRunner.query(`CREATE TABLE "shipments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "orderId" integer NOT NULL, "carrierId" integer, "status" varchar(32) NOT NULL, "trackingNumber" varchar(64), "recipientName" varchar(512), "line1" varchar(512), "line2" varchar(512), "city" varchar(128), "region" varchar(128), "postalCode" varchar(32), "country" varchar(2), "contactPhone" varchar(512), "shippedAt" datetime, "deliveredAt" datetime, "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "REL_13ba957bcb616719a0dc3fca82" UNIQUE ("orderId"), CONSTRAINT "FK_13ba957bcb616719a0dc3fca82f" FOREIGN KEY ("orderId") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_5db11b49ab93261e6282a166102" FOREIGN KEY ("carrierId") REFERENCES "partners" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "shipments"("id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt", "stagedCity", "stagedRegion", "stagedPostalCode") SELECT "id", "orderId", "carrierId", "status", "trackingNumber", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "contactPhone", "shippedAt", "deliveredAt", "stagedCity", "stagedRegion", "stagedPostalCode" FROM "temporary_shipments"`);
        await queryRunner.query(`DROP TABLE "temporary_shipments"`);
        await queryRunner.query(`CREATE INDEX "IDX_shipments_carrier_status" ON "shipments" ("carrierId", "status") `);
        await queryRunner.query(`DROP INDEX "IDX_addresses_customerId"`);
        await queryRunner.query(`ALTER TABLE "addresses" RENAME TO "temporary_addresses"`);
        await queryRunner.query(`CREATE TABLE "addresses" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "customerId" integer NOT NULL, "recipientName" varchar(512) NOT NULL, "line1" varchar(512) NOT NULL, "line2" varchar(512), "city" varchar(128) NOT NULL, "region" varchar(128), "postalCode" varchar(32) NOT NULL, "country" varchar(2) NOT NULL, "phone" varchar(512), "stagedCity" varchar(512), "stagedRegion" varchar(512), "stagedPostalCode" varchar(512), CONSTRAINT "FK_b5976584943ec93aa5394a55320" FOREIGN KEY ("customerId") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "addresses"("id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone", "stagedCity", "stagedRegion", "stagedPostalCode") SELECT "id", "customerId", "recipientName", "line1", "line2", "city", "region", "postalCode", "country", "phone", "stagedCity", "stagedRegion", "stagedPostalCode" FROM "temporary_addresses"`);
        await queryRunner.query(`DROP TABLE "temporary_addresses"`);
        await queryRunner.query(`CREATE INDEX "IDX_addresses_customerId" ON "addresses" ("customerId") `);
    }

}
