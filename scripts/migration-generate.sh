#!/usr/bin/env bash
# npm run migration:generate -- Name
# Generates the migration that brings the schema to the entities, for both
# dialects, with the TypeORM CLI against scratch databases that have every
# existing migration applied. MySQL is CHECK_MYSQL_URL (default: local MariaDB).
set -euo pipefail
name=${1:?usage: npm run migration:generate -- MigrationName}
[[ $name =~ ^[A-Za-z][A-Za-z0-9]*$ ]] || { echo "migration name must be letters and digits, received '$name'" >&2; exit 2; }
cd "$(dirname "$0")/.."
npm run --silent build
mysql_url=${CHECK_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
scratch=$(mktemp -d)
db=pg_gen_$$
trap 'rm -rf "$scratch"; node -e "require(\"mysql2/promise\").createConnection(process.argv[1]).then(c=>c.query(\"DROP DATABASE IF EXISTS $db\").then(()=>c.end()))" "$mysql_url" >/dev/null 2>&1 || true' EXIT

export DATABASE_URL="sqlite:$scratch/gen.sqlite"
npx typeorm -d dist/ormconfig.js migration:run >/dev/null
npx typeorm -d dist/ormconfig.js migration:generate "src/migrations/sqlite/$name" || true

node -e "require('mysql2/promise').createConnection(process.argv[1]).then(c=>c.query('CREATE DATABASE $db').then(()=>c.end()))" "$mysql_url"
export DATABASE_URL="${mysql_url%/*}/$db"
npx typeorm -d dist/ormconfig.js migration:run >/dev/null
npx typeorm -d dist/ormconfig.js migration:generate "src/migrations/mysql/$name" || true
npm run --silent build
