import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * What authentication needs to know about the roles of policies/roles.yaml.
 * Roles are data: code asks the registry instead of naming a role, so adding
 * or renaming a role is a policy change, not a code change.
 */
export type RoleCredential = 'none' | 'jwt' | 'partner_token';
export type PartnerKindName = 'COURIER' | 'PAYMENT_PROCESSOR';

export interface RoleRegistry {
  /** Every role name, in the order roles.yaml lists them. */
  names(): readonly string[];
  /** `undefined` for a role roles.yaml does not define. */
  credentialOf(role: string): RoleCredential | undefined;
  /** The kind of partner a token of this role is bound to; `null` for people, anonymous and unknown roles. */
  partnerKindOf(role: string): PartnerKindName | null;
}

export interface RoleCredentialDefinition {
  name: string;
  credential: RoleCredential;
  partnerKind: PartnerKindName | null;
}

/** A registry over already-validated definitions (the policy loader's RoleDefinition fits). */
export function createRoleRegistry(definitions: Iterable<RoleCredentialDefinition>): RoleRegistry {
  // A Map, not an object: a claim such as "constructor" or "__proto__" must resolve to nothing.
  const byName = new Map<string, RoleCredentialDefinition>();
  for (const d of definitions) {
    if (byName.has(d.name)) throw new Error(`role "${d.name}" is defined twice`);
    byName.set(d.name, { name: d.name, credential: d.credential, partnerKind: d.partnerKind });
  }
  const names = Object.freeze([...byName.keys()]);
  return {
    names: () => names,
    credentialOf: (role) => byName.get(role)?.credential,
    partnerKindOf: (role) => byName.get(role)?.partnerKind ?? null,
  };
}

const roleEntrySchema = z.object({
  credential: z.enum(['none', 'jwt', 'partner_token']),
  partnerKind: z.enum(['COURIER', 'PAYMENT_PROCESSOR']).optional(),
});
const rolesFileSchema = z.object({ roles: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), roleEntrySchema) });

/**
 * Reads only the `roles` section of roles.yaml (credential and partnerKind),
 * for the token CLI, which must not depend on the whole policy set being
 * valid. The gateway itself builds its registry from the full policy loader.
 */
export function readRoleRegistry(file: string): RoleRegistry {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the roles file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'read failed'}`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  const result = rolesFileSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new Error(`${file} does not define roles as expected: ${problems}`);
  }
  const definitions: RoleCredentialDefinition[] = [];
  for (const [name, entry] of Object.entries(result.data.roles)) {
    const partnerKind = entry.partnerKind ?? null;
    if (entry.credential === 'partner_token' && partnerKind === null) {
      throw new Error(`${file}: role "${name}" has credential partner_token but no partnerKind (COURIER or PAYMENT_PROCESSOR)`);
    }
    if (entry.credential !== 'partner_token' && partnerKind !== null) {
      throw new Error(`${file}: role "${name}" has a partnerKind but credential ${entry.credential}; only partner_token roles are bound to a partner`);
    }
    definitions.push({ name, credential: entry.credential, partnerKind });
  }
  return createRoleRegistry(definitions);
}
