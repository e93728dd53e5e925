import fs from 'node:fs';
import path from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from '../src/graphql/schema';

/**
 * `npm run schema:emit` writes schema/schema.graphql; `--check` (run by
 * `npm run check`) fails when the committed file differs from the code.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const target = path.join(__dirname, '..', '..', 'schema', 'schema.graphql');
  const sdl = printGatewaySchema(await buildGatewaySchema());
  if (check) {
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (committed !== sdl) {
      console.error('schema/schema.graphql is out of date with the code. Run `npm run schema:emit` and commit the result.');
      process.exit(1);
    }
    console.log('schema/schema.graphql is up to date');
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, sdl);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
