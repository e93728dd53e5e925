import fs from 'node:fs';
import path from 'node:path';
import { buildGatewaySchema, GENERATED_HEADER, printGatewaySchema } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  test('is what the code emits (else: npm run schema:emit)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed.startsWith(GENERATED_HEADER)).toBe(true);
    expect(committed).toBe(printGatewaySchema(await buildGatewaySchema()));
  });

  test('holds the public contract names', async () => {
    const schema = await buildGatewaySchema();
    const query = schema.getQueryType()!.getFields();
    for (const name of ['viewer', 'privacyPolicy', 'products', 'customer', 'customers', 'order', 'orders', 'shipment', 'shipments', 'payment', 'payments']) {
      expect(query[name]).toBeDefined();
    }
    const fieldsOf = (type: string) => Object.keys((schema.getType(type) as { getFields(): object }).getFields()).sort();
    expect(fieldsOf('Customer')).toEqual(['addresses', 'createdAt', 'email', 'erasedAt', 'id', 'name', 'orders', 'phone']);
    expect(fieldsOf('Order')).toEqual(['currency', 'customer', 'id', 'items', 'number', 'payment', 'placedAt', 'shipment', 'status', 'totalCents']);
    expect(fieldsOf('Shipment')).toEqual(
      ['carrier', 'city', 'contactPhone', 'country', 'id', 'line1', 'line2', 'order', 'postalCode', 'recipientName', 'region', 'status', 'trackingNumber'],
    );
    expect(fieldsOf('Payment')).toEqual(
      ['amountCents', 'cardBrand', 'cardLast4', 'currency', 'id', 'order', 'processor', 'processorReference', 'status'],
    );
    expect(fieldsOf('Address')).toEqual(['city', 'country', 'id', 'line1', 'line2', 'phone', 'postalCode', 'recipientName', 'region']);
  });

  test('personal-data fields are nullable, so a denial never wipes out the parent', async () => {
    const schema = await buildGatewaySchema();
    const personal: Record<string, string[]> = {
      Customer: ['name', 'email', 'phone', 'addresses', 'orders'],
      Address: ['recipientName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'phone'],
      Shipment: ['recipientName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'contactPhone', 'trackingNumber'],
      Payment: ['cardBrand', 'cardLast4', 'processorReference', 'amountCents'],
      Order: ['customer', 'items', 'shipment', 'payment', 'totalCents'],
    };
    for (const [type, fields] of Object.entries(personal)) {
      const all = (schema.getType(type) as { getFields(): Record<string, { type: { toString(): string } }> }).getFields();
      for (const field of fields) expect(`${type}.${field}: ${all[field]!.type.toString()}`).not.toMatch(/!$/);
    }
  });
});
