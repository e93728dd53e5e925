import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795305434963 implements MigrationInterface {
    name = 'Initial1795305434963'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`customers\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(512) NOT NULL, \`email\` varchar(512) NOT NULL, \`phone\` varchar(512) NULL, \`createdAt\` datetime NOT NULL, \`erasedAt\` datetime NULL, UNIQUE INDEX \`IDX_customers_email\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`addresses\` (\`id\` int NOT NULL AUTO_INCREMENT, \`customerId\` int NOT NULL, \`recipientName\` varchar(512) NOT NULL, \`line1\` varchar(512) NOT NULL, \`line2\` varchar(512) NULL, \`city\` varchar(128) NOT NULL, \`region\` varchar(128) NULL, \`postalCode\` varchar(32) NOT NULL, \`country\` varchar(2) NOT NULL, \`phone\` varchar(512) NULL, INDEX \`IDX_addresses_customerId\` (\`customerId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`audit_events\` (\`id\` int NOT NULL AUTO_INCREMENT, \`at\` datetime NOT NULL, \`role\` varchar(32) NOT NULL, \`subject\` varchar(64) NULL, \`partnerId\` int NULL, \`operation\` varchar(128) NOT NULL, \`purpose\` varchar(64) NOT NULL, \`touched\` text NOT NULL, \`prevHash\` varchar(64) NOT NULL, \`hash\` varchar(64) NOT NULL, INDEX \`IDX_audit_events_at\` (\`at\`), INDEX \`IDX_audit_events_subject\` (\`subject\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`policy_versions\` (\`id\` int NOT NULL AUTO_INCREMENT, \`version\` varchar(32) NOT NULL, \`effectiveAt\` datetime NOT NULL, \`summary\` varchar(512) NOT NULL, UNIQUE INDEX \`IDX_policy_versions_version\` (\`version\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`consents\` (\`id\` int NOT NULL AUTO_INCREMENT, \`customerId\` int NOT NULL, \`purpose\` varchar(32) NOT NULL, \`granted\` tinyint NOT NULL, \`policyVersionId\` int NOT NULL, \`updatedAt\` datetime NOT NULL, UNIQUE INDEX \`IDX_consents_customer_purpose\` (\`customerId\`, \`purpose\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`orders\` (\`id\` int NOT NULL AUTO_INCREMENT, \`number\` varchar(32) NOT NULL, \`customerId\` int NOT NULL, \`status\` varchar(32) NOT NULL, \`currency\` varchar(3) NOT NULL DEFAULT 'USD', \`totalCents\` int NOT NULL, \`placedAt\` datetime NOT NULL, UNIQUE INDEX \`IDX_orders_number\` (\`number\`), INDEX \`IDX_orders_customerId\` (\`customerId\`), INDEX \`IDX_orders_placedAt\` (\`placedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`products\` (\`id\` int NOT NULL AUTO_INCREMENT, \`sku\` varchar(32) NOT NULL, \`name\` varchar(255) NOT NULL, \`category\` varchar(64) NOT NULL, \`priceCents\` int NOT NULL, UNIQUE INDEX \`IDX_products_sku\` (\`sku\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`order_items\` (\`id\` int NOT NULL AUTO_INCREMENT, \`orderId\` int NOT NULL, \`productId\` int NOT NULL, \`sku\` varchar(32) NOT NULL, \`productName\` varchar(255) NOT NULL, \`quantity\` int NOT NULL, \`unitPriceCents\` int NOT NULL, INDEX \`IDX_order_items_orderId\` (\`orderId\`), INDEX \`IDX_order_items_productId\` (\`productId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`partners\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(255) NOT NULL, \`kind\` varchar(32) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`partner_tokens\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`role\` varchar(32) NOT NULL, \`tokenHash\` varchar(64) NOT NULL, \`createdAt\` datetime NOT NULL, \`expiresAt\` datetime NOT NULL, \`revokedAt\` datetime NULL, INDEX \`IDX_partner_tokens_partnerId\` (\`partnerId\`), UNIQUE INDEX \`IDX_partner_tokens_tokenHash\` (\`tokenHash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`payments\` (\`id\` int NOT NULL AUTO_INCREMENT, \`orderId\` int NOT NULL, \`processorId\` int NULL, \`status\` varchar(32) NOT NULL, \`amountCents\` int NOT NULL, \`currency\` varchar(3) NOT NULL DEFAULT 'USD', \`cardBrand\` varchar(32) NOT NULL, \`cardLast4\` varchar(4) NOT NULL, \`processorReference\` varchar(64) NULL, \`authorizedAt\` datetime NOT NULL, \`settledAt\` datetime NULL, INDEX \`IDX_payments_processor_status\` (\`processorId\`, \`status\`), UNIQUE INDEX \`REL_af929a5f2a400fdb6913b4967e\` (\`orderId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`privacy_requests\` (\`id\` int NOT NULL AUTO_INCREMENT, \`customerId\` int NOT NULL, \`kind\` varchar(32) NOT NULL, \`status\` varchar(32) NOT NULL, \`message\` text NULL, \`createdAt\` datetime NOT NULL, \`dueAt\` datetime NOT NULL, \`completedAt\` datetime NULL, INDEX \`IDX_privacy_requests_customerId\` (\`customerId\`), INDEX \`IDX_privacy_requests_status_due\` (\`status\`, \`dueAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`shipments\` (\`id\` int NOT NULL AUTO_INCREMENT, \`orderId\` int NOT NULL, \`carrierId\` int NULL, \`status\` varchar(32) NOT NULL, \`trackingNumber\` varchar(64) NULL, \`recipientName\` varchar(512) NULL, \`line1\` varchar(512) NULL, \`line2\` varchar(512) NULL, \`city\` varchar(128) NULL, \`region\` varchar(128) NULL, \`postalCode\` varchar(32) NULL, \`country\` varchar(2) NULL, \`contactPhone\` varchar(512) NULL, \`shippedAt\` datetime NULL, \`deliveredAt\` datetime NULL, INDEX \`IDX_shipments_carrier_status\` (\`carrierId\`, \`status\`), UNIQUE INDEX \`REL_13ba957bcb616719a0dc3fca82\` (\`orderId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`addresses\` ADD CONSTRAINT \`FK_b5976584943ec93aa5394a55320\` FOREIGN KEY (\`customerId\`) REFERENCES \`customers\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`consents\` ADD CONSTRAINT \`FK_b72347b6ad96709f390b135db95\` FOREIGN KEY (\`customerId\`) REFERENCES \`customers\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`consents\` ADD CONSTRAINT \`FK_c39265052464231fc0056bb40d5\` FOREIGN KEY (\`policyVersionId\`) REFERENCES \`policy_versions\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`orders\` ADD CONSTRAINT \`FK_e5de51ca888d8b1f5ac25799dd1\` FOREIGN KEY (\`customerId\`) REFERENCES \`customers\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`order_items\` ADD CONSTRAINT \`FK_f1d359a55923bb45b057fbdab0d\` FOREIGN KEY (\`orderId\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`order_items\` ADD CONSTRAINT \`FK_cdb99c05982d5191ac8465ac010\` FOREIGN KEY (\`productId\`) REFERENCES \`products\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`partner_tokens\` ADD CONSTRAINT \`FK_000a768034da8f5443d2a373130\` FOREIGN KEY (\`partnerId\`) REFERENCES \`partners\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`payments\` ADD CONSTRAINT \`FK_af929a5f2a400fdb6913b4967e1\` FOREIGN KEY (\`orderId\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`payments\` ADD CONSTRAINT \`FK_8b00de1258e3719cbe4fc4713d2\` FOREIGN KEY (\`processorId\`) REFERENCES \`partners\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`privacy_requests\` ADD CONSTRAINT \`FK_d84c2a99e4f015aaeb95c2fd5f2\` FOREIGN KEY (\`customerId\`) REFERENCES \`customers\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD CONSTRAINT \`FK_13ba957bcb616719a0dc3fca82f\` FOREIGN KEY (\`orderId\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`shipments\` ADD CONSTRAINT \`FK_5db11b49ab93261e6282a166102\` FOREIGN KEY (\`carrierId\`) REFERENCES \`partners\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP FOREIGN KEY \`FK_5db11b49ab93261e6282a166102\``);
        await queryRunner.query(`ALTER TABLE \`shipments\` DROP FOREIGN KEY \`FK_13ba957bcb616719a0dc3fca82f\``);
        await queryRunner.query(`ALTER TABLE \`privacy_requests\` DROP FOREIGN KEY \`FK_d84c2a99e4f015aaeb95c2fd5f2\``);
        await queryRunner.query(`ALTER TABLE \`payments\` DROP FOREIGN KEY \`FK_8b00de1258e3719cbe4fc4713d2\``);
        await queryRunner.query(`ALTER TABLE \`payments\` DROP FOREIGN KEY \`FK_af929a5f2a400fdb6913b4967e1\``);
        await queryRunner.query(`ALTER TABLE \`partner_tokens\` DROP FOREIGN KEY \`FK_000a768034da8f5443d2a373130\``);
        await queryRunner.query(`ALTER TABLE \`order_items\` DROP FOREIGN KEY \`FK_cdb99c05982d5191ac8465ac010\``);
        await queryRunner.query(`ALTER TABLE \`order_items\` DROP FOREIGN KEY \`FK_f1d359a55923bb45b057fbdab0d\``);
        await queryRunner.query(`ALTER TABLE \`orders\` DROP FOREIGN KEY \`FK_e5de51ca888d8b1f5ac25799dd1\``);
        await queryRunner.query(`ALTER TABLE \`consents\` DROP FOREIGN KEY \`FK_c39265052464231fc0056bb40d5\``);
        await queryRunner.query(`ALTER TABLE \`consents\` DROP FOREIGN KEY \`FK_b72347b6ad96709f390b135db95\``);
        await queryRunner.query(`ALTER TABLE \`addresses\` DROP FOREIGN KEY \`FK_b5976584943ec93aa5394a55320\``);
        await queryRunner.query(`DROP INDEX \`REL_13ba957bcb616719a0dc3fca82\` ON \`shipments\``);
        await queryRunner.query(`DROP INDEX \`IDX_shipments_carrier_status\` ON \`shipments\``);
        await queryRunner.query(`DROP TABLE \`shipments\``);
        await queryRunner.query(`DROP INDEX \`IDX_privacy_requests_status_due\` ON \`privacy_requests\``);
        await queryRunner.query(`DROP INDEX \`IDX_privacy_requests_customerId\` ON \`privacy_requests\``);
        await queryRunner.query(`DROP TABLE \`privacy_requests\``);
        await queryRunner.query(`DROP INDEX \`REL_af929a5f2a400fdb6913b4967e\` ON \`payments\``);
        await queryRunner.query(`DROP INDEX \`IDX_payments_processor_status\` ON \`payments\``);
        await queryRunner.query(`DROP TABLE \`payments\``);
        await queryRunner.query(`DROP INDEX \`IDX_partner_tokens_tokenHash\` ON \`partner_tokens\``);
        await queryRunner.query(`DROP INDEX \`IDX_partner_tokens_partnerId\` ON \`partner_tokens\``);
        await queryRunner.query(`DROP TABLE \`partner_tokens\``);
        await queryRunner.query(`DROP TABLE \`partners\``);
        await queryRunner.query(`DROP INDEX \`IDX_order_items_productId\` ON \`order_items\``);
        await queryRunner.query(`DROP INDEX \`IDX_order_items_orderId\` ON \`order_items\``);
        await queryRunner.query(`DROP TABLE \`order_items\``);
        await queryRunner.query(`DROP INDEX \`IDX_products_sku\` ON \`products\``);
        await queryRunner.query(`DROP TABLE \`products\``);
        await queryRunner.query(`DROP INDEX \`IDX_orders_placedAt\` ON \`orders\``);
        await queryRunner.query(`DROP INDEX \`IDX_orders_customerId\` ON \`orders\``);
        await queryRunner.query(`DROP INDEX \`IDX_orders_number\` ON \`orders\``);
        await queryRunner.query(`DROP TABLE \`orders\``);
        await queryRunner.query(`DROP INDEX \`IDX_consents_customer_purpose\` ON \`consents\``);
        await queryRunner.query(`DROP TABLE \`consents\``);
        await queryRunner.query(`DROP INDEX \`IDX_policy_versions_version\` ON \`policy_versions\``);
        await queryRunner.query(`DROP TABLE \`policy_versions\``);
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_subject\` ON \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`IDX_audit_events_at\` ON \`audit_events\``);
        await queryRunner.query(`DROP TABLE \`audit_events\``);
        await queryRunner.query(`DROP INDEX \`IDX_addresses_customerId\` ON \`addresses\``);
        await queryRunner.query(`DROP TABLE \`addresses\``);
        await queryRunner.query(`DROP INDEX \`IDX_customers_email\` ON \`customers\``);
        await queryRunner.query(`DROP TABLE \`customers\``);
    }

}
