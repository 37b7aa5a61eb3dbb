import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as random from "@pulumi/random";
import { GENERATED_LENGTH } from "../config/rules";
import type { SecretSpec } from "../config/schema";
import { DAY_SECONDS, currentWindow, epochSeconds } from "./rotation";
import { vaultObjectOptions } from "./vaultObjects";

export interface ProjectSecretsArgs {
  resourceGroupName: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  secrets: SecretSpec[];
  /** Plaintext values of `source: config` secrets by secret name; wrapped in pulumi.secret here. */
  configValues: Record<string, string>;
  /** The program's clock: only the rotation window it falls in matters. */
  now: Date;
  tags: Record<string, string>;
}

/** Marker written once into `external` secrets: disabled, so nothing reads it before the real value is set. */
export const EXTERNAL_PLACEHOLDER = "set-out-of-band";
/** Marks a retired secret for people and for the expiry controls (a disabled, retired secret cannot be read). */
export const RETIRED_TAG = { key: "lifecycle", value: "retired" } as const;
/** Value of a secret that is created already retired (disabled): it never held a real value. */
export const RETIRED_PLACEHOLDER = "retired";

/**
 * The project's per-environment secrets. `config`: the value from the stack's encrypted config; `generate`: a
 * RandomPassword; `external`: mlvault creates the secret once (name, content type, expiry, disabled placeholder)
 * and then ignores it, so an operator's out-of-band value is never overwritten. Every value is a Pulumi secret
 * from the moment it enters the program, independent of the providers' additionalSecretOutputs.
 */
export class ProjectSecrets extends pulumi.ComponentResource {
  /** Secret name -> its Key Vault resource. */
  readonly secrets = new Map<string, keyvault.Secret>();

  constructor(name: string, args: ProjectSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:ProjectSecrets", name, {}, opts);
    for (const spec of args.secrets) this.secrets.set(spec.name, this.secret(name, spec, args));
    this.registerOutputs({});
  }

  private secret(name: string, spec: SecretSpec, args: ProjectSecretsArgs): keyvault.Secret {
    const external = spec.source === "external";
    return new keyvault.Secret(`${name}-${spec.name}`, {
      resourceGroupName: args.resourceGroupName,
      vaultName: args.vaultName,
      secretName: spec.name,
      tags: spec.retired ? { ...args.tags, [RETIRED_TAG.key]: RETIRED_TAG.value } : args.tags,
      properties: {
        value: this.value(name, spec, args),
        contentType: spec.contentType,
        attributes: {
          enabled: external || spec.retired ? false : spec.enabled,
          expires: expiresFor(spec, args.now),
          ...(spec.activatesOn ? { notBefore: epochSeconds(spec.activatesOn) } : {}),
        },
      },
    }, vaultObjectOptions({ parent: this, ignoreChanges: ignoredFor(spec) }));
  }

  private value(name: string, spec: SecretSpec, args: ProjectSecretsArgs): pulumi.Input<string> {
    // Retired: the value Azure holds stays (ignoreChanges keeps the old input); this marker is sent only if the
    // secret is created retired.
    if (spec.retired) return pulumi.secret(RETIRED_PLACEHOLDER);
    switch (spec.source) {
      case "config":
        return pulumi.secret(args.configValues[spec.name]);
      case "generate": {
        const password = new random.RandomPassword(`${name}-${spec.name}-generated`, {
          length: spec.length ?? GENERATED_LENGTH.default,
          // A changed keeper replaces the password: an explicit bump, or a new rotation window.
          keepers: rotationKeepers(spec, args.now),
          special: true,
          overrideSpecial: "-_.~!#%^*",
          minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 1,
        }, { parent: this });
        return pulumi.secret(password.result);
      }
      case "external":
        return pulumi.secret(EXTERNAL_PLACEHOLDER);
    }
  }
}

/**
 * Retired secrets: the attributes change (disabled) and the value input stays what it was, so ARM's new version
 * carries the old value, disabled (for an external secret, the placeholder mlvault wrote: the retired credential
 * is no longer the current version). External secrets otherwise: created once, then never written, because any
 * write would replace the operator's out-of-band value with the placeholder.
 */
function ignoredFor(spec: SecretSpec): string[] {
  if (spec.retired) return ["properties.value"];
  return spec.source === "external" ? ["properties"] : [];
}

function rotationKeepers(spec: SecretSpec, now: Date): Record<string, string> {
  const keepers: Record<string, string> = { rotation: String(spec.rotation ?? 0) };
  if (spec.rotationDays) keepers.window = String(currentWindow(spec.rotationDays, now).index);
  return keepers;
}

/**
 * A periodically rotated value expires two periods after its window starts (one missed `pulumi up` does not
 * break readers), and never after the configured expiresOn, which stays the secret's hard limit.
 */
function expiresFor(spec: SecretSpec, now: Date): number {
  const limit = epochSeconds(spec.expiresOn);
  if (spec.source !== "generate" || !spec.rotationDays) return limit;
  const windowStart = Math.floor(currentWindow(spec.rotationDays, now).start.getTime() / 1000);
  return Math.min(limit, windowStart + 2 * spec.rotationDays * DAY_SECONDS);
}
