/**
 * The Key Vault baseline checks KV-01, KV-02 and KV-04, written once over a vault's `properties`
 * object. Inputs (validateResource) and ARM read-back outputs (validateStack) both nest them under
 * `properties`, so the resource policies and the cross-resource ones (SEC-05, ML-08) share them.
 * Each returns the problem, or undefined when compliant. Missing values are the service default.
 */
import { asArray, asBool, isRecord, isTrue } from "./values";

export type VaultProps = Record<string, any> | undefined;

function props(vault: VaultProps): Record<string, any> {
  return isRecord(vault) ? vault : {};
}

/** KV-01: soft delete defaults to on; only an explicit false fails. */
export function softDeleteProblem(vault: VaultProps): string | undefined {
  return asBool(props(vault).enableSoftDelete) === false ? "enableSoftDelete is false" : undefined;
}

/** KV-02: purge protection defaults to off, so a missing value fails. */
export function purgeProtectionProblem(vault: VaultProps): string | undefined {
  const v = props(vault).enablePurgeProtection;
  if (isTrue(v)) return undefined;
  return v === undefined || v === null ? "enablePurgeProtection is missing" : "enablePurgeProtection is not true";
}

/** KV-04: RBAC defaults to off (access policies), so a missing value fails; inline access policies fail. */
export function rbacProblem(vault: VaultProps): string | undefined {
  const p = props(vault);
  if (!isTrue(p.enableRbacAuthorization)) {
    return p.enableRbacAuthorization === undefined || p.enableRbacAuthorization === null
      ? "enableRbacAuthorization is missing (the service default is the access-policy model)"
      : "enableRbacAuthorization is not true";
  }
  if (asArray(p.accessPolicies).length > 0) return "accessPolicies is not empty";
  return undefined;
}

export const VAULT_BASELINE: Record<string, (vault: VaultProps) => string | undefined> = {
  "KV-01": softDeleteProblem,
  "KV-02": purgeProtectionProblem,
  "KV-04": rbacProblem,
};
