import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { compilePolicies } from '../src/authz/compile';
import { loadPolicies } from '../src/authz/policy-loader';
import { buildRoleSchema, printRoleSchema } from '../src/authz/role-schema';
import { printSubgraphSdl } from '../src/federation/subgraph-schema';
import { buildGatewaySchema, printGatewaySchema } from '../src/graphql/schema';
import { packageRoot } from '../src/package-root';

/**
 * `npm run schema:emit` writes schema/schema.graphql, schema/subgraph.graphql
 * (the Federation 2 subgraph SDL a router composes, as `_service { sdl }`
 * answers it) and, from the policies, schema/roles/<role>.graphql (what each
 * role can see: a partner's documented API). `--check` (part of `npm run
 * check`) fails when a committed file differs from what the code and the
 * policies produce.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const root = packageRoot();
  const schema = await buildGatewaySchema();
  const compiled = compilePolicies(loadPolicies(path.join(root, 'policies'), schema), schema);

  const files = new Map<string, string>([
    [path.join(root, 'schema', 'schema.graphql'), printGatewaySchema(schema)],
    [path.join(root, 'schema', 'subgraph.graphql'), printSubgraphSdl(schema)],
  ]);
  for (const role of compiled.roles) {
    files.set(path.join(root, 'schema', 'roles', `${role}.graphql`), printRoleSchema(buildRoleSchema(schema, compiled, role), role));
  }
  const rolesDir = path.join(root, 'schema', 'roles');
  const stale = fs.existsSync(rolesDir)
    ? fs.readdirSync(rolesDir).map((f) => path.join(rolesDir, f)).filter((f) => !files.has(f))
    : [];

  if (check) {
    const drifted = [...files].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text).map(([file]) => file);
    drifted.push(...stale);
    if (drifted.length > 0) {
      console.error(`out of date with the code and policies: ${drifted.map((f) => path.relative(root, f)).join(', ')}`);
      console.error('Run `npm run schema:emit` and commit the result.');
      process.exit(1);
    }
    console.log(`schema/ is up to date (${files.size} files)`);
    return;
  }
  fs.mkdirSync(rolesDir, { recursive: true });
  for (const file of stale) fs.rmSync(file);
  for (const [file, text] of files) fs.writeFileSync(file, text);
  console.log(`wrote ${[...files.keys()].map((f) => path.relative(root, f)).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
