/**
 * The engine's one data model: a resource as the Pulumi engine registered it (offline plan) or as a
 * `pulumi stack export` holds it (audit). Property values are in Pulumi's wire form (see wire.ts):
 * secrets as `{ [SPECIAL_SIG]: SECRET_SIG, value }`, unknowns as sentinel strings.
 */
export interface ResourceRecord {
  urn: string;
  /** Type token, e.g. `azure-native:keyvault:Vault`. */
  type: string;
  name: string;
  parent: string | null;
  /** True for provider-managed (custom) resources, false for components and the stack. */
  custom: boolean;
  protect: boolean;
  /** Provider reference `urn::id`, when the resource has one. */
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** What the program sent (validateResource sees these). */
  inputs: Record<string, unknown>;
  /** What the provider returned (validateStack sees these): ARM read-back shape for azure-native. */
  outputs: Record<string, unknown>;
  /** Output names the engine marks secret after the provider returns them. */
  additionalSecretOutputs: string[];
  id?: string;
}

export type EnforcementLevel = "mandatory" | "advisory";

/** One policy violation as every report shows it. */
export interface Violation {
  policy: string;
  controls: string[];
  enforcementLevel: EnforcementLevel;
  urn: string | null;
  message: string;
}
