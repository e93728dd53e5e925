import { MigrationInterface, QueryRunner } from "typeorm";
import { decryptExistingRows, encryptExistingRows } from "../data/encrypt-existing-rows";

/**
 * Data step, written by hand (the schema steps around it are generated):
 * encrypts the plaintext personal values of rows that existed before
 * EncryptPersonalData, with the keyring installed at start-up, and fills
 * customers.emailHash. See ../data/encrypt-existing-rows.ts.
 */
export class EncryptExistingRows1795307946125 implements MigrationInterface {
    name = 'EncryptExistingRows1795307946125'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await encryptExistingRows(queryRunner);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await decryptExistingRows(queryRunner);
    }

}
