/**
 * The mask strategies a policy may name as `mask:<strategy>`. The loader
 * refuses any other name; the implementations (masks.ts) must cover exactly
 * these, so a policy never names a mask the gateway cannot apply.
 */
export const MASK_STRATEGIES = ['email', 'phone', 'name', 'street', 'redact'] as const;

export type MaskStrategy = (typeof MASK_STRATEGIES)[number];

export function isMaskStrategy(name: string): name is MaskStrategy {
  return (MASK_STRATEGIES as readonly string[]).includes(name);
}
