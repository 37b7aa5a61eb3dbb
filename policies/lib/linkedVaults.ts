/**
 * SEC-05 and ML-08: a secret / workspace must be linked to a vault of the same stack that passes
 * the vault baseline (KV-01, KV-02, KV-04 by default) on its ARM read-back outputs.
 */
import type { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { LinkSpec, linkedTargets, ofType, parentIdBefore, TargetIndex } from "./links";

const ACCESS_POLICY_ID_MARKER = /\/accessPolic(?:y|ies)\//i;
import { T } from "./types";
import { UnknownTracker } from "./unknowns";
import { isRecord } from "./values";
import { VAULT_BASELINE } from "./vaultChecks";

export interface VaultBaselineConfig { requiredVaultControls: string[]; allowAccessPolicyMode: boolean }
export const VAULT_BASELINE_SCHEMA: PolicyConfigSchema = {
  properties: {
    requiredVaultControls: {
      type: "array", items: { type: "string", enum: Object.keys(VAULT_BASELINE) }, default: Object.keys(VAULT_BASELINE),
      description: "Vault controls the linked vault must pass (dev drops KV-02, whose own policy is advisory there).",
    },
    allowAccessPolicyMode: { type: "boolean", default: false, description: "Accept vaults on the access-policy model (KV-04 opt-out)." },
  },
};

/**
 * For SEC-05 and ML-08: each source must be linked to a vault of this stack that passes the
 * configured baseline controls. `fail` receives "not linked" or the failed controls.
 */
export function linkedVaultsCheck(
  resources: PolicyResource[],
  sources: PolicyResource[],
  link: LinkSpec,
  config: VaultBaselineConfig,
  fail: (source: PolicyResource, problem: string) => void,
): void {
  if (sources.length === 0) return;
  const tracker = new UnknownTracker();
  const vaults = new TargetIndex(ofType(resources, T.vault), tracker);
  // Vaults that separately carry keyvault:AccessPolicy resources fail KV-04 too.
  const vaultsWithAccessPolicies = new Set<string>();
  for (const ap of ofType(resources, T.accessPolicy)) {
    // An access policy's id is "<vault id>/accessPolicy/<objectId>" (azure-native's AccessPolicy resource).
    for (const v of linkedTargets(ap, { targetIds: (a) => parentIdBefore(a.props.id, ACCESS_POLICY_ID_MARKER) }, vaults, tracker)) {
      vaultsWithAccessPolicies.add(v.urn);
    }
  }
  const failures: [PolicyResource, string][] = [];
  for (const source of sources) {
    const linked = linkedTargets(source, link, vaults, tracker);
    if (linked.length === 0) {
      failures.push([source, "is not linked to any Key Vault of this stack"]);
      continue;
    }
    for (const vault of linked) {
      const props = isRecord(vault.props.properties) ? vault.props.properties : {};
      const failed = config.requiredVaultControls.filter((id) => {
        if (id === "KV-04" && config.allowAccessPolicyMode) return false;
        const check = VAULT_BASELINE[id];
        if (!check) return false;
        return check(props) !== undefined || (id === "KV-04" && vaultsWithAccessPolicies.has(vault.urn));
      });
      if (failed.length > 0) failures.push([source, `is in vault "${vault.name}", which fails ${failed.join(", ")}`]);
    }
  }
  if (failures.length > 0) tracker.throwIfUnknown();
  for (const [source, problem] of failures) fail(source, problem);
}

