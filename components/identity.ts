import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { Environment, FederatedCredential } from "../config/schema";
import { RESERVED_SECRET_NAMES } from "../config/validate";
import { names } from "./naming";
import { rotationPlan } from "./rotation";
import { vaultObjectOptions } from "./vaultObjects";

export interface ProjectIdentityArgs {
  project: string;
  environment: Environment;
  description?: string;
  location: string;
  resourceGroupName: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  /** 0 = no password (federated credentials only); otherwise the lifetime of each of the two rotating passwords. */
  passwordLifetimeDays: number;
  federatedCredentials: FederatedCredential[];
  /** The program's clock: only the rotation window it falls in matters. */
  now: Date;
  tags: Record<string, string>;
}

/** Name of the vault secret holding the service principal's current password. */
export const CLIENT_SECRET_NAME = RESERVED_SECRET_NAMES[0];

/**
 * The project's two identities. For callers outside Azure (CI, external schedulers): an Entra application and
 * service principal, preferably signed in through federated credentials (OIDC); when a password is configured, two
 * passwords rotate alternately (see rotation.ts) and the current one is stored in the vault, never exported. For
 * jobs inside Azure: a user-assigned managed identity, so training code uses DefaultAzureCredential with no secret.
 */
export class ProjectIdentity extends pulumi.ComponentResource {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly workloadIdentity: managedidentity.UserAssignedIdentity;
  readonly clientSecret?: keyvault.Secret;

  constructor(name: string, args: ProjectIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mlvault:index:ProjectIdentity", name, {}, opts);
    const parent = { parent: this };
    const displayName = names.application(args.project, args.environment);

    this.application = new azuread.Application(`${name}-application`, {
      displayName,
      description: args.description ?? `mlvault project ${args.project} (${args.environment})`,
      signInAudience: "AzureADMyOrg",
      preventDuplicateNames: true,
    }, parent);
    this.servicePrincipal = new azuread.ServicePrincipal(`${name}-service-principal`, {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: false,
      notes: "Training runs and pipelines outside Azure. Managed by mlvault.",
    }, parent);

    for (const fc of args.federatedCredentials) {
      new azuread.ApplicationFederatedIdentityCredential(`${name}-federated-${fc.name}`, {
        applicationId: this.application.id,
        displayName: fc.name,
        issuer: fc.issuer,
        subject: fc.subject,
        audiences: fc.audiences,
        description: fc.description,
      }, parent);
    }

    if (args.passwordLifetimeDays > 0) {
      const plan = rotationPlan(args.passwordLifetimeDays, args.now);
      const passwords = plan.slots.map((slot) => ({
        slot,
        password: new azuread.ApplicationPassword(`${name}-password-${slot.slot}`, {
          applicationId: this.application.id,
          displayName: `mlvault rotating credential ${slot.slot}`,
          startDate: slot.start.toISOString(),
          endDate: slot.end.toISOString(),
          // A new window index replaces this slot's password; inside a window the inputs never change.
          rotateWhenChanged: { window: String(slot.window) },
        }, parent),
      }));
      const current = passwords.find((p) => p.slot === plan.current)!;
      this.clientSecret = new keyvault.Secret(`${name}-client-secret`, {
        resourceGroupName: args.resourceGroupName,
        vaultName: args.vaultName,
        secretName: CLIENT_SECRET_NAME,
        tags: { ...args.tags, "credential-slot": current.slot.slot },
        properties: {
          // Explicitly secret: the provider marks `value` secret only through additionalSecretOutputs.
          value: pulumi.secret(current.password.value),
          contentType: "client-secret",
          attributes: {
            enabled: true,
            notBefore: Math.floor(current.slot.start.getTime() / 1000),
            expires: Math.floor(current.slot.end.getTime() / 1000),
          },
        },
      }, vaultObjectOptions(parent));
    }

    this.workloadIdentity = new managedidentity.UserAssignedIdentity(`${name}-workload`, {
      resourceName: names.workloadIdentity(args.project, args.environment),
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
    }, parent);

    this.registerOutputs({ clientId: this.application.clientId, workloadClientId: this.workloadIdentity.clientId });
  }
}
