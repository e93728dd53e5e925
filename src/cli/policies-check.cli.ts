import 'reflect-metadata';
import path from 'node:path';
import { buildGatewaySchema } from '../graphql/schema';
import { loadPolicies } from '../authz/policy-loader';
import { PolicyError, type PolicySet } from '../authz/policy-model';

/**
 * `node dist/src/cli/policies-check.cli.js [dir]`
 *
 * Loads the policies (default: ./policies, npm runs scripts from the package
 * root) against the gateway's full schema, as the gateway does on start.
 * Prints every problem with its file and line and exits 1, so CI fails on a
 * policy the gateway would refuse.
 */

export function summarize(policies: PolicySet): string {
  let fields = 0;
  for (const type of policies.types.values()) fields += type.fields.size;
  return `policies OK: ${policies.types.size} types, ${fields} fields, ${policies.roles.size} roles`;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0] === '--help' || argv[0] === '-h') {
    process.stderr.write('usage: policies-check [dir]   (default: policies)\n');
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 2;
  }
  const dir = path.resolve(argv[0] ?? 'policies');
  const schema = await buildGatewaySchema();
  try {
    process.stdout.write(`${summarize(loadPolicies(dir, schema))}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`policies-check: failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
