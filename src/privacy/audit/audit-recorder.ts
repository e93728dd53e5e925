import type { AuditTouch } from '../../entities/audit-event.entity';

type Effect = AuditTouch['effect'];

interface Group {
  type: string;
  field: string;
  effect: Effect;
  ids: Set<string>;
}

/**
 * Collects, during one request, the personal-data fields it touched (type,
 * field, effect and row ids — never a value) and the customers they belong
 * to. The audit plugin writes it as one event when the response is ready.
 */
export class AuditRecorder {
  private readonly groups = new Map<string, Group>();
  readonly customerIds = new Set<number>();
  /** Orders whose customer is resolved when the event is written (shipments, payments and items carry only an order id). */
  readonly orderIds = new Set<number>();
  changed = false;

  /** Called by the field guard for every personal-data value it lets through, masks or denies. */
  touch(type: string, field: string, effect: Effect, row: unknown): void {
    const key = `${type}.${field}.${effect}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { type, field, effect, ids: new Set() };
      this.groups.set(key, group);
    }
    if (typeof row !== 'object' || row === null) return;
    const r = row as { id?: unknown; customerId?: unknown; orderId?: unknown };
    if (r.id !== undefined && r.id !== null) group.ids.add(String(r.id));
    if (type === 'Customer' && typeof r.id === 'number') this.customerIds.add(r.id);
    else if (typeof r.customerId === 'number') this.customerIds.add(r.customerId);
    else if (typeof r.orderId === 'number') this.orderIds.add(r.orderId);
  }

  /** Called by a mutation for what it wrote. */
  change(type: string, row: { id: number; customerId?: number; orderId?: number }, fields: readonly string[]): void {
    this.changed = true;
    for (const field of fields) this.touch(type, field, 'change', row);
  }

  /** Whether anything personal was read or anything changed. */
  get hasTouches(): boolean {
    return this.groups.size > 0 || this.changed;
  }

  touched(): AuditTouch[] {
    return [...this.groups.values()]
      .map((g) => ({ type: g.type, field: g.field, effect: g.effect, ids: [...g.ids].sort((a, b) => Number(a) - Number(b)) }))
      .sort((a, b) => `${a.type}.${a.field}.${a.effect}`.localeCompare(`${b.type}.${b.field}.${b.effect}`));
  }
}
