import { OrderStatus, PaymentStatus, ShipmentStatus } from '../domain/statuses';

/**
 * The combinations of order, payment and shipment status the demo data uses.
 * Only these occur together, so every demo order tells a story a reviewer can
 * follow (a FAILED payment never has a shipment, a RETURNED order was paid).
 */
export interface OrderScenario {
  order: OrderStatus;
  payment: PaymentStatus;
  /** null: the order never reached the warehouse, so there is no shipment. */
  shipment: ShipmentStatus | null;
  /** How long ago (days before `now`) such an order can plausibly have been placed. */
  minAgeDays: number;
  maxAgeDays: number;
}

/** The demo history spans about eight months before `now`. */
export const HISTORY_DAYS = 240;

export const SCENARIOS = {
  placed: { order: OrderStatus.PLACED, payment: PaymentStatus.AUTHORIZED, shipment: ShipmentStatus.PENDING, minAgeDays: 0.02, maxAgeDays: 1.5 },
  processing: { order: OrderStatus.PROCESSING, payment: PaymentStatus.CAPTURED, shipment: ShipmentStatus.READY_FOR_PICKUP, minAgeDays: 0.5, maxAgeDays: 4 },
  shipped: { order: OrderStatus.SHIPPED, payment: PaymentStatus.CAPTURED, shipment: ShipmentStatus.IN_TRANSIT, minAgeDays: 1.5, maxAgeDays: 8 },
  delivered: { order: OrderStatus.DELIVERED, payment: PaymentStatus.CAPTURED, shipment: ShipmentStatus.DELIVERED, minAgeDays: 5, maxAgeDays: HISTORY_DAYS },
  returnPending: { order: OrderStatus.RETURNED, payment: PaymentStatus.REFUND_PENDING, shipment: ShipmentStatus.RETURNED, minAgeDays: 10, maxAgeDays: 40 },
  refunded: { order: OrderStatus.RETURNED, payment: PaymentStatus.REFUNDED, shipment: ShipmentStatus.RETURNED, minAgeDays: 20, maxAgeDays: HISTORY_DAYS },
  cancelled: { order: OrderStatus.CANCELLED, payment: PaymentStatus.FAILED, shipment: null, minAgeDays: 0.02, maxAgeDays: HISTORY_DAYS },
} as const satisfies Record<string, OrderScenario>;

type Weighted = ReadonlyArray<readonly [OrderScenario, number]>;

/**
 * Recent orders are still moving, older ones have mostly arrived. Each band
 * only offers scenarios whose age range covers it, so the dates derived from
 * the scenario stay before `now`.
 */
const BY_AGE: ReadonlyArray<readonly [maxAgeDays: number, Weighted]> = [
  [1.5, [[SCENARIOS.placed, 80], [SCENARIOS.processing, 15], [SCENARIOS.cancelled, 5]]],
  [4, [[SCENARIOS.processing, 50], [SCENARIOS.shipped, 45], [SCENARIOS.cancelled, 5]]],
  [8, [[SCENARIOS.shipped, 55], [SCENARIOS.delivered, 40], [SCENARIOS.cancelled, 5]]],
  [20, [[SCENARIOS.delivered, 85], [SCENARIOS.returnPending, 10], [SCENARIOS.cancelled, 5]]],
  [40, [[SCENARIOS.delivered, 84], [SCENARIOS.returnPending, 6], [SCENARIOS.refunded, 6], [SCENARIOS.cancelled, 4]]],
  [Infinity, [[SCENARIOS.delivered, 90], [SCENARIOS.refunded, 6], [SCENARIOS.cancelled, 4]]],
];

/** `roll` is uniform in [0, 1); passing it in keeps this function free of randomness state. */
export function scenarioForAge(ageDays: number, roll: number): OrderScenario {
  const band = BY_AGE.find(([maxAge]) => ageDays < maxAge) ?? BY_AGE[BY_AGE.length - 1];
  const choices = band[1];
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = roll * total;
  for (const [scenario, weight] of choices) {
    remaining -= weight;
    if (remaining < 0) return scenario;
  }
  return choices[choices.length - 1][0];
}

/** An order whose scenario and partners are fixed rather than drawn. */
export interface GuaranteedOrder {
  scenario: OrderScenario;
  /** Index into the run's couriers; ignored when the scenario has no shipment. */
  courier: number;
  /** Index into the run's payment processors. */
  processor: number;
}

/**
 * The orders that make every rule testable by hand, whatever the dice say:
 * every shipment and payment status occurs, each courier has two active and
 * two delivered shipments, each processor two active (AUTHORIZED,
 * REFUND_PENDING) and at least two settled (CAPTURED, REFUNDED) payments.
 */
export function guaranteedOrders(courierCount: number, processorCount: number): GuaranteedOrder[] {
  if (courierCount < 1 || processorCount < 1) {
    throw new Error(`guaranteedOrders needs at least one courier and one processor, received ${courierCount} and ${processorCount}`);
  }
  const orders: GuaranteedOrder[] = [];
  const settled = new Array<number>(processorCount).fill(0);
  const settle = (courier: number, scenario: OrderScenario, processor = orders.length % processorCount): void => {
    orders.push({ scenario, courier, processor });
    settled[processor]++;
  };
  for (let courier = 0; courier < courierCount; courier++) {
    settle(courier, SCENARIOS.processing);
    settle(courier, SCENARIOS.shipped);
    settle(courier, SCENARIOS.delivered);
    settle(courier, SCENARIOS.delivered);
  }
  for (let processor = 0; processor < processorCount; processor++) {
    orders.push({ scenario: SCENARIOS.placed, courier: processor % courierCount, processor });
    orders.push({ scenario: SCENARIOS.returnPending, courier: (processor + 1) % courierCount, processor });
    // Few couriers and many processors leave some processors short of settled payments.
    while (settled[processor] < 2) settle(processor % courierCount, SCENARIOS.delivered, processor);
  }
  orders.push({ scenario: SCENARIOS.refunded, courier: 0, processor: 0 });
  orders.push({ scenario: SCENARIOS.cancelled, courier: 0, processor: processorCount - 1 });
  return orders;
}
