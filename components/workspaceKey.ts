import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { DAY_SECONDS, currentWindow } from "./rotation";
import { vaultObjectOptions } from "./vaultObjects";

export interface WorkspaceKeyArgs {
  resourceGroupName: pulumi.Input<string>;
  /** A premium vault: HSM-backed keys need it. */
  vaultName: pulumi.Input<string>;
  now: Date;
  tags: Record<string, string>;
}

/**
 * ARM creates a key once and never updates it: Keys_CreateIfNotExist "does not create subsequent versions, and does
 * not update existing keys" (Azure/azure-rest-api-specs, keyvault 2024-11-01 keys.json). A change to these inputs
 * would show as an update that Azure silently ignores, so the plan ignores them too; the rotation policy makes new
 * versions, and a changed policy is applied with `az keyvault key rotation-policy update` (docs/deploying.md, Day 2).
 */
export const KEY_CREATE_ONLY_INPUTS = ["properties", "tags"] as const;

/** Days between automatic key rotations (KEY-02 allows at most 90 in prod). */
export const KEY_ROTATION_DAYS = 90;
/** Lifetime of each key version (the rotation policy's expiryTime). */
export const KEY_VERSION_LIFETIME_DAYS = 365;

/**
 * The customer-managed key that encrypts a project's ML workspace (opt-in: `encryption: customerManaged`).
 * RSA-HSM 3072, wrap/unwrap only, with an expiry and a Key Vault rotation policy that creates a new version every
 * 90 days and notifies 30 days before expiry. Azure ML picks up new versions itself (versionless key id).
 */
export class WorkspaceKey extends pulumi.ComponentResource {
  readonly key: keyvault.Key;
  /** Versionless key URI: the workspace follows rotations without a redeploy. */
  readonly keyUri: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:WorkspaceKey", name, {}, opts);
    // The first version's expiry comes from a yearly window, so a re-created key gets a stable value too.
    const window = currentWindow(KEY_VERSION_LIFETIME_DAYS, args.now);
    const expires = Math.floor(window.start.getTime() / 1000) + 2 * KEY_VERSION_LIFETIME_DAYS * DAY_SECONDS;
    this.key = new keyvault.Key(`${name}-key`, {
      resourceGroupName: args.resourceGroupName,
      vaultName: args.vaultName,
      keyName: "workspace-cmk",
      tags: args.tags,
      properties: {
        kty: "RSA-HSM",
        keySize: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        attributes: { enabled: true, expires, exportable: false },
        rotationPolicy: {
          attributes: { expiryTime: `P${KEY_VERSION_LIFETIME_DAYS}D` },
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: `P${KEY_ROTATION_DAYS}D` } },
            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          ],
        },
      },
    }, vaultObjectOptions({ parent: this, ignoreChanges: [...KEY_CREATE_ONLY_INPUTS] }));
    this.keyUri = this.key.keyUri;
    this.registerOutputs({ keyUri: this.keyUri });
  }
}
