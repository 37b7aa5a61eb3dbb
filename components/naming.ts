import { createHash } from "crypto";
import { v5 as uuidv5 } from "uuid";
import type { Environment } from "../config/schema";

/**
 * Deterministic names within Azure's rules. Globally unique names (Key Vault, storage) carry a short hash of the
 * subscription, project and environment: the same config always yields the same names, and two subscriptions
 * (or two organisations with the same project names) never collide.
 */
export const ENV_SHORT: Record<Environment, string> = { dev: "d", prod: "p" };

/** Lowercase base-36 digest, `length` characters. */
export function shortHash(input: string, length: number): string {
  const hex = createHash("sha256").update(input).digest("hex");
  return BigInt("0x" + hex.slice(0, 24)).toString(36).padStart(length, "0").slice(0, length);
}

export interface NameContext {
  subscriptionId: string;
  project: string;
  environment: Environment;
  /** The project's `generation`: from 2 on, the names that soft delete keeps reserved change. */
  generation?: number;
}

function seed(c: NameContext): string {
  return `${c.subscriptionId.toLowerCase()}/${c.project}/${c.environment}`;
}

/** Suffix for names a generation renews: "" for the first generation, so existing names never change. */
export function generationSuffix(generation: number | undefined, separator = "/"): string {
  return generation && generation > 1 ? `${separator}g${generation}` : "";
}

/** Key Vault: 3-24 chars, letters/digits/hyphens, starts with a letter, no "--", globally unique. e.g. kv-churn-d-3f9k2 */
export function vaultName(c: NameContext): string {
  return `kv-${c.project}-${ENV_SHORT[c.environment]}-${shortHash(seed(c) + generationSuffix(c.generation), 5)}`;
}

/** Storage account: 3-24 lowercase letters and digits, globally unique. e.g. stchurnd3f9k2ab1 */
export function storageAccountName(c: NameContext): string {
  return `st${c.project}${ENV_SHORT[c.environment]}${shortHash("st/" + seed(c), 24 - 3 - c.project.length)}`.slice(0, 24);
}

/** Names unique within a resource group only. */
export const names = {
  resourceGroup: (project: string, env: Environment) => `rg-mlvault-${project}-${env}`,
  platformResourceGroup: (env: Environment) => `rg-mlvault-platform-${env}`,
  logAnalytics: (env: Environment) => `log-mlvault-${env}`,
  workspace: (project: string, env: Environment, generation?: number) => `mlw-${project}-${env}${generationSuffix(generation, "-")}`,
  appInsights: (project: string, env: Environment) => `appi-${project}-${env}`,
  workloadIdentity: (project: string, env: Environment) => `id-${project}-${env}`,
  application: (project: string, env: Environment) => `mlvault-${project}-${env}`,
  privateEndpoint: (target: string, project: string, env: Environment) => `pe-${target}-${project}-${env}`,
  actionGroup: (env: Environment) => `ag-mlvault-${env}`,
  /** A resource's link in the environment's Azure Monitor Private Link Scope (unique within the scope). */
  privateLinkScoped: (kind: string, project: string, env: Environment) => `mlvault-${kind}-${project}-${env}`,
};

/** mlvault's own UUID namespace for deterministic role assignment and role definition names. */
const MLVAULT_NAMESPACE = uuidv5("https://mlvault.dev/names", uuidv5.URL);

/** A deterministic GUID from stable logical parts (never from values known only after deployment). */
export function deterministicGuid(...parts: string[]): string {
  return uuidv5(parts.join("/"), MLVAULT_NAMESPACE);
}
