import { privateMariaDbUnavailableReason } from '../support/mariadb-process';

/**
 * `describe` for suites that start their own MariaDB server. Without the
 * binaries the suite is skipped with a visible message — except under
 * CI=true, where that is a failure, like the MySQL run of the database suites.
 */
export function describeWithPrivateMariaDb(name: string, fn: () => void): void {
  const reason = privateMariaDbUnavailableReason();
  if (reason === null) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs a private MariaDB server', () => {
        throw new Error(`${reason}: CI runs the fault suites too.`);
      });
    });
    return;
  }
  console.warn(`\n*** ${reason}: SKIPPING "${name}" (it starts its own MariaDB server). ***\n`);
  describe.skip(name, fn);
}
