/**
 * What a provider returns for a resource, modelled offline. Real providers answer with their read-back, not with
 * the inputs: azure-native returns ARM's shape (id, name, ARM type, properties) without the path parameters the
 * program set. Policies that run on outputs (validateStack) must see that shape offline too, or `plan` passes
 * stacks that fail at `pulumi up`.
 */
export interface ProviderModelInput {
  type: string;
  name: string;
  urn: string;
  /** Inputs in wire form (secrets as signature objects). */
  inputs: Record<string, unknown>;
}

export interface ProviderModelResult {
  id: string;
  outputs: Record<string, unknown>;
}

export type ProviderModel = (r: ProviderModelInput) => ProviderModelResult | undefined;

/** Copy of `inputs` without the listed keys. */
export function without(inputs: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) if (!keys.includes(k)) out[k] = v;
  return out;
}

/** Reads a string input, unwrapping a secret; "" when absent. Path parameters are never secret in practice. */
export function str(inputs: Record<string, unknown>, key: string): string {
  const v = inputs[key];
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "value" in v && typeof (v as { value: unknown }).value === "string") return (v as { value: string }).value;
  return "";
}
