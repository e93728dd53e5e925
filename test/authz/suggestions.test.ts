import { buildSchema } from 'graphql';
import { filterSuggestions } from '../../src/authz/authz-plugin';

describe('field suggestions', () => {
  const roleSchema = buildSchema(`type Query { shipments: [Shipment] } type Shipment { id: ID status: String }`);

  test('suggestions the role cannot read are removed', () => {
    expect(filterSuggestions('Cannot query field "orde" on type "Shipment". Did you mean "order"?', roleSchema)).toBe(
      'Cannot query field "orde" on type "Shipment".',
    );
  });

  test('suggestions the role can read stay', () => {
    expect(filterSuggestions('Cannot query field "statu" on type "Shipment". Did you mean "status" or "order"?', roleSchema)).toBe(
      'Cannot query field "statu" on type "Shipment". Did you mean "status"?',
    );
  });

  test('a type the role cannot see suggests nothing', () => {
    expect(filterSuggestions('Cannot query field "emial" on type "Customer". Did you mean "email"?', roleSchema)).toBe(
      'Cannot query field "emial" on type "Customer".',
    );
    expect(filterSuggestions('Unknown type "Custome". Did you mean "Customer"?', roleSchema)).toBe('Unknown type "Custome".');
  });

  test('other messages are left alone', () => {
    expect(filterSuggestions('Syntax Error: Expected Name, found <EOF>.', roleSchema)).toBe('Syntax Error: Expected Name, found <EOF>.');
  });
});
