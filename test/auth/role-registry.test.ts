import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRoleRegistry, readRoleRegistry } from '../../src/auth/role-registry';

describe('role registry', () => {
  it('reads the credentials of policies/roles.yaml', () => {
    const roles = readRoleRegistry(path.join(__dirname, '..', '..', 'policies', 'roles.yaml'));
    for (const role of ['anonymous', 'customer', 'staff', 'analyst', 'admin', 'courier', 'payment_processor']) {
      expect(roles.names()).toContain(role);
    }
    expect(roles.credentialOf('anonymous')).toBe('none');
    expect(roles.credentialOf('analyst')).toBe('jwt');
    expect(roles.credentialOf('courier')).toBe('partner_token');
    expect(roles.partnerKindOf('courier')).toBe('COURIER');
    expect(roles.partnerKindOf('payment_processor')).toBe('PAYMENT_PROCESSOR');
    expect(roles.partnerKindOf('staff')).toBeNull();
  });

  it('knows nothing of undefined roles, including object built-ins', () => {
    const roles = createRoleRegistry([{ name: 'staff', credential: 'jwt', partnerKind: null }]);
    for (const name of ['root', 'constructor', '__proto__', 'toString', '']) {
      expect(roles.credentialOf(name)).toBeUndefined();
      expect(roles.partnerKindOf(name)).toBeNull();
    }
  });

  describe('file errors', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-roles-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (text: string): string => {
      const file = path.join(dir, 'roles.yaml');
      fs.writeFileSync(file, text);
      return file;
    };

    it('names a missing file', () => {
      const file = path.join(dir, 'missing.yaml');
      expect(() => readRoleRegistry(file)).toThrow(`cannot read the roles file ${file}: ENOENT`);
    });

    it('names the role with an unknown credential', () => {
      const file = write('roles:\n  staff: { credential: password }\n');
      expect(() => readRoleRegistry(file)).toThrow(`${file} does not define roles as expected: roles.staff.credential:`);
    });

    it('requires partnerKind exactly for partner_token roles', () => {
      expect(() => readRoleRegistry(write('roles:\n  courier: { credential: partner_token }\n'))).toThrow(
        'role "courier" has credential partner_token but no partnerKind (COURIER or PAYMENT_PROCESSOR)',
      );
      expect(() => readRoleRegistry(write('roles:\n  staff: { credential: jwt, partnerKind: COURIER }\n'))).toThrow(
        'role "staff" has a partnerKind but credential jwt; only partner_token roles are bound to a partner',
      );
    });
  });
});
