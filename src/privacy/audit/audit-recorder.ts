import type { AuditTouch } from '../../entities/audit-event.entity';

type Effect = AuditTouch['effect'];

/** What the field guard records a personal-data field under; built once per field, not per value. */
export interface AuditField {
  type: string;
  field: string;
}

interface Group {
  type: string;
  field: string;
  effect: Effect;
  ids: Set<number | string>;
}

/**
 * Collects, during one request, the personal-data fields it touched (type,
 * field, effect and row ids — never a value) and the customers they belong
 * to. The audit plugin writes it as one event when the response is ready.
 * `touch` runs once per personal value of a response, so it does no string
 * building: groups are keyed by the field's own descriptor object.
 */
export class AuditRecorder {
  private readonly groups = new Map<AuditField, Map<Effect, Group>>();
  readonly customerIds = new Set<number>();
  /** Orders whose customer is resolved when the event is written (shipments, payments and items carry only an order id). */
  private readonly orderIdsSeen = new Set<number>();
  /** The customer of each order row the request read: most shipments and payments resolve here, without a query. */
  private readonly customerOfOrder = new Map<number, number>();
  changed = false;

  /** Called by the field guard for every personal-data value it lets through, masks or denies. */
  touch(field: AuditField, effect: Effect, row: unknown): void {
    let byEffect = this.groups.get(field);
    if (byEffect === undefined) {
      byEffect = new Map();
      this.groups.set(field, byEffect);
    }
    let group = byEffect.get(effect);
    if (group === undefined) {
      group = { type: field.type, field: field.field, effect, ids: new Set() };
      byEffect.set(effect, group);
    }
    if (typeof row !== 'object' || row === null) return;
    const r = row as { id?: number | string; customerId?: unknown; orderId?: unknown };
    if (r.id === undefined || r.id === null) return;
    if (group.ids.has(r.id)) return;
    group.ids.add(r.id);
    if (field.type === 'Customer' && typeof r.id === 'number') this.customerIds.add(r.id);
    else if (typeof r.customerId === 'number') {
      this.customerIds.add(r.customerId);
      if (field.type === 'Order' && typeof r.id === 'number') this.customerOfOrder.set(r.id, r.customerId);
    } else if (typeof r.orderId === 'number') this.orderIdsSeen.add(r.orderId);
  }

  /** Called by a mutation for what it wrote. */
  change(type: string, row: { id: number; customerId?: number; orderId?: number }, fields: readonly string[]): void {
    this.changed = true;
    for (const field of fields) this.touch(this.fieldFor(type, field), 'change', row);
  }

  /** Orders whose customer this request did not read, to be looked up when the event is written. */
  get orderIds(): number[] {
    const unresolved: number[] = [];
    for (const orderId of this.orderIdsSeen) {
      const customerId = this.customerOfOrder.get(orderId);
      if (customerId === undefined) unresolved.push(orderId);
      else this.customerIds.add(customerId);
    }
    return unresolved;
  }

  /** Whether anything personal was read or anything changed. */
  get hasTouches(): boolean {
    return this.groups.size > 0 || this.changed;
  }

  touched(): AuditTouch[] {
    const out: AuditTouch[] = [];
    for (const byEffect of this.groups.values()) {
      for (const g of byEffect.values()) {
        out.push({ type: g.type, field: g.field, effect: g.effect, ids: [...g.ids].sort((a, b) => Number(a) - Number(b)).map(String) });
      }
    }
    return out.sort((a, b) => `${a.type}.${a.field}.${a.effect}`.localeCompare(`${b.type}.${b.field}.${b.effect}`));
  }

  private readonly changeFields = new Map<string, AuditField>();
  private fieldFor(type: string, field: string): AuditField {
    const key = `${type}.${field}`;
    let descriptor = this.changeFields.get(key);
    if (descriptor === undefined) {
      descriptor = { type, field };
      this.changeFields.set(key, descriptor);
    }
    return descriptor;
  }
}
