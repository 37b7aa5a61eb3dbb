import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { parseConfigMap } from "./config/fromPulumi";
import { ConfigError, validateStackConfig, type StackConfig } from "./config/validate";
import { MlProject } from "./components/mlProject";
import { Platform } from "./components/platform";
import { programClock } from "./components/rotation";

/**
 * The mlvault program: validate the stack's config (nothing is planned from an invalid one), build the per-stack
 * platform, then one MlProject per configured project. Exports per-project facts for the hand-off sheet; never a
 * secret value.
 */
function loadConfig(): StackConfig {
  try {
    return validateStackConfig(parseConfigMap(pulumi.runtime.allConfig()));
  } catch (e) {
    // RunError: the engine prints the message without a stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(`invalid mlvault config:\n${e.message}`);
    throw e;
  }
}

export = async () => {
  const config = loadConfig();
  const client = await authorization.getClientConfig();
  const now = programClock();

  const platform = new Platform("platform", {
    environment: config.environment,
    location: config.location,
    subscriptionId: client.subscriptionId,
    logRetentionDays: config.platform.logRetentionDays,
    manageDefender: config.platform.manageDefender,
    alertEmails: config.platform.alertEmails,
    deniedAccessThreshold: config.platform.alerts.deniedAccessThreshold,
    runbookBaseUrl: config.platform.alerts.runbookBaseUrl,
    tags: { environment: config.environment, project: "platform", owner: config.platform.owner, "managed-by": "mlvault" },
  });

  const projects: Record<string, MlProject["outputs"]> = {};
  for (const project of config.projects) {
    const prefix = `${project.name}/`;
    const secretValues = Object.fromEntries(
      Object.entries(config.secretValues).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
    );
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
    }).outputs;
  }

  return {
    environment: config.environment,
    tenantId: client.tenantId,
    logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId,
    projects,
  };
};
