/**
 * A bench run that measured something wrong (a bad answer, a request that was
 * not a clean 2xx, an audit event missing): reported as `bench failed: …`
 * without a stack trace, because the message is the finding.
 */
export class BenchFailure extends Error {
  override name = 'BenchFailure';
}
