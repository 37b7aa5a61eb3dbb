import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { parseConfigMap } from "./config/fromPulumi";
import { ConfigError, validateStackConfig, type StackConfig } from "./config/validate";
import { MlProject } from "./components/mlProject";
import { parsePrivateLinkScopeId, type PrivateLinkScopeRef } from "./components/monitorPrivateLink";
import { Platform } from "./components/platform";
import { programClock } from "./components/rotation";
import { providerInSubscription } from "./components/subscriptionProvider";
import { tagsFor } from "./components/tags";

/**
 * The mlvault program: validate the stack's config (nothing is planned from an invalid one), build the per-stack
 * platform, then one MlProject per configured project. Exports per-project facts for the hand-off sheet; never a
 * secret value.
 */
function loadConfig(): StackConfig {
  try {
    return validateStackConfig(parseConfigMap(pulumi.runtime.allConfig()), { stack: pulumi.getStack() });
  } catch (e) {
    // RunError: the engine prints the message without a stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(`invalid mlvault config:\n${e.message}`);
    throw e;
  }
}

/**
 * The configured AMPLS, with a provider in its own subscription: a scoped resource is created in its provider's
 * subscription, and the network team's scope usually sits in a hub subscription.
 */
function privateLinkScopeOf(config: StackConfig): PrivateLinkScopeRef | undefined {
  const id = config.platform.network.monitorPrivateLinkScopeId;
  if (!id) return undefined;
  const scope = parsePrivateLinkScopeId(id)!;
  return { ...scope, provider: providerInSubscription("monitor-private-link-scope", scope.subscriptionId) };
}

export = async () => {
  const config = loadConfig();
  const client = await authorization.getClientConfig();
  const now = programClock();
  const monitorPrivateLinkScope = privateLinkScopeOf(config);

  const platform = new Platform("platform", {
    environment: config.environment,
    location: config.location,
    subscriptionId: client.subscriptionId,
    logRetentionDays: config.platform.logRetentionDays,
    manageDefender: config.platform.manageDefender,
    alertEmails: config.platform.alertEmails,
    deniedAccessThreshold: config.platform.alerts.deniedAccessThreshold,
    runbookBaseUrl: config.platform.alerts.runbookBaseUrl,
    monitorPrivateLinkScope,
    tags: tagsFor(config.environment, "platform", config.platform.owner),
  });

  // "<project>/<secret>" -> value, grouped once per project (no scan of every value per project).
  const valuesByProject = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(config.secretValues)) {
    const slash = key.indexOf("/");
    const project = key.slice(0, slash);
    if (!valuesByProject.has(project)) valuesByProject.set(project, {});
    valuesByProject.get(project)![key.slice(slash + 1)] = value;
  }

  const projects: Record<string, MlProject["outputs"]> = {};
  for (const [i, project] of config.projects.entries()) {
    // Let the registrations of the projects declared so far go out before declaring the next one: at platform scale
    // (hundreds of projects) this keeps the set of pending outputs small (offline: 1.4 GB -> 0.5 GB and 19 s ->
    // 12 s for 300 projects). Nothing waits for a deployment: projects still never wait on each other.
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const secretValues = valuesByProject.get(project.name) ?? {};
    projects[project.name] = new MlProject(project.name, {
      project,
      environment: config.environment,
      location: config.location,
      platform: config.platform,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
      logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
      actionGroupId: platform.actionGroupId,
      secretValues,
      now,
      monitorPrivateLinkScope,
    }).outputs;
  }

  return {
    environment: config.environment,
    tenantId: client.tenantId,
    logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
    projects,
  };
};
