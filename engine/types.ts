import type { Exemption } from "../policies/lib/exemptions";
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
  /** The resource options the engine acts on when it updates, replaces or deletes (see ResourceOptions). */
  options?: ResourceOptions;
  /** A stack export's copy pending deletion (`delete: true`): it still exists in Azure and is still evaluated. */
  pendingDelete?: boolean;
}

/**
 * The resource options that decide what `pulumi up` and `pulumi destroy` do with a resource after its first create:
 * whether a delete is refused (`protect`) or skipped (`retainOnDelete`), which input changes are ignored or force a
 * replacement, and in which order a replacement happens.
 */
export interface ResourceOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  /**
   * Explicit `dependsOn`: the dependencies no input carries. (The SDK sends one merged list; a resource named both
   * in dependsOn and in an input shows under the input only.)
   */
  dependsOn: string[];
}

/** A record's options, with the defaults for what a source (an older export) does not say. */
export function optionsOf(r: ResourceRecord): ResourceOptions {
  return r.options ?? { protect: r.protect, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, replaceOnChanges: [], dependsOn: explicitDependencies(r) };
}

/** Dependencies that no property dependency explains: what the program passed as `dependsOn`. */
export function explicitDependencies(r: Pick<ResourceRecord, "dependencies" | "propertyDependencies">): string[] {
  const viaInputs = new Set(Object.values(r.propertyDependencies).flat());
  return r.dependencies.filter((d) => !viaInputs.has(d));
}

export type EnforcementLevel = "mandatory" | "advisory";

/** One policy violation as every report shows it. */
export interface Violation {
  policy: string;
  controls: string[];
  enforcementLevel: EnforcementLevel;
  urn: string | null;
  message: string;
  /** Set by the CLI on a violation an active exemption covers (reported at advisory level, not counted). */
  exemption?: Exemption & { policy: string; index: number; status: "active" | "expiring"; daysLeft: number };
}
