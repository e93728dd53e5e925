import { benchConfig } from './bench-config';
import { BenchFailure } from './bench-failure';
import { issueBenchCredentials, readExpectations, type BenchCallers, type BenchCredentials } from './credentials';
import type { Expectations } from './scenario-checks';
import { SCENARIOS, type ScenarioKey, type VariantName } from './scenarios';
import type { ScratchDatabase } from './scratch-database';
import { openCostProbe, type RequestCost } from './sql-cost-probe';

export interface SqlCosts {
  byScenario: Record<ScenarioKey, Partial<Record<VariantName, RequestCost>>>;
  credentials: BenchCredentials;
  callers: BenchCallers;
  expectations: Expectations;
  courierActiveShipments: number;
}

/**
 * SQL statements and rows per request of every scenario and variant, from
 * instrumented in-process servers one request at a time; each answer is
 * checked too. Three times each: the counts must not depend on what an
 * earlier request left behind. Only the first request of a fresh database
 * differs (the audit chain has no head yet), so the last one is reported.
 */
export async function measureSqlCosts(db: ScratchDatabase): Promise<SqlCosts> {
  const config = benchConfig(db.settings);
  let callers: BenchCallers | null = null;
  const probe = await openCostProbe(config, () => callers!);
  try {
    const issued = await issueBenchCredentials(config, probe.dataSource, probe.gateway.authorization.roles);
    callers = issued.callers;
    const { courierActiveShipments, ...expectations } = await readExpectations(probe.dataSource, issued.callers);
    const byScenario = {} as SqlCosts['byScenario'];
    for (const scenario of SCENARIOS) {
      byScenario[scenario.key] = {};
      for (const variant of scenario.variants) {
        const costs: RequestCost[] = [];
        for (let i = 0; i < 3; i += 1) {
          const { cost, body } = await probe.measure(variant, issued.credentials[scenario.caller], scenario);
          const problems = [...(cost.httpStatus === 200 ? [] : [`HTTP ${cost.httpStatus}`]), ...scenario.check(body, variant, expectations)];
          if (problems.length > 0) throw new BenchFailure(`(${scenario.letter}) ${scenario.key}, ${variant} (instrumented): ${problems.join('; ')}`);
          costs.push(cost);
        }
        const steady = costs.slice(1);
        if (new Set(steady.map((c) => `${c.statements}/${c.rowsRead}`)).size !== 1 || costs.some((c) => c.listRowsRead !== costs[0]!.listRowsRead)) {
          throw new BenchFailure(
            `(${scenario.letter}) ${scenario.key}, ${variant}: SQL cost differs between identical requests (${costs.map((c) => `${c.statements} statements, ${c.rowsRead} rows`).join('; ')})`,
          );
        }
        byScenario[scenario.key][variant] = costs[costs.length - 1]!;
      }
    }
    return { byScenario, credentials: issued.credentials, callers: issued.callers, expectations, courierActiveShipments };
  } finally {
    await probe.close();
  }
}
