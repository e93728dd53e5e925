/**
 * A value could not be encrypted or decrypted, or the keys are missing or
 * wrong. The message names keys by id, columns and formats, never a value or
 * key material, so it is safe to log.
 */
export class EncryptionError extends Error {
  override name = 'EncryptionError';
}
