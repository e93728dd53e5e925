// jest globalSetup: each run's server logs start empty, so scripts/scan-test-logs.ts reads this run's only.
const fs = require('node:fs');
const path = require('node:path');

module.exports = async () => {
  fs.rmSync(path.join(__dirname, '..', '..', 'test-artifacts', 'logs'), { recursive: true, force: true });
};
