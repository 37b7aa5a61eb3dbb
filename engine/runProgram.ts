import * as path from "path";
import type { ResourceRecord } from "./types";
import { OfflineMonitor } from "./monitor";
import { azureNativeModel } from "./providers/azureNative";
import { OFFLINE_CLIENT } from "./providers/ids";
import { azureadModel, randomModel } from "./providers/others";

export interface ProgramRun {
  /** Folder holding the program's index.ts. */
  programDir: string;
  project: string;
  stack: string;
  organization?: string;
  /** Flat Pulumi config, values as the engine passes them (objects JSON-encoded). */
  config: Record<string, string>;
  /** Keys whose values are secret. */
  secretKeys: string[];
  preview: boolean;
  /** See MonitorOptions.applyAdditionalSecretOutputs. */
  applyAdditionalSecretOutputs?: boolean;
}

export interface ProgramResult {
  records: ResourceRecord[];
  stackOutputs: Record<string, unknown>;
}

/**
 * Runs a Pulumi TypeScript program in this process against the offline engine (no Pulumi CLI, no cloud) and
 * returns every resource it registered. Runs must not overlap: the Pulumi SDK keeps global state.
 */
export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  require("../bin/register-ts");
  // Loaded here, not at the top: the SDK must be configured before the program's first import of it.
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const settings = require("@pulumi/pulumi/runtime/settings");
  const state = require("@pulumi/pulumi/runtime/state");
  const stack = require("@pulumi/pulumi/runtime/stack");

  const monitor = new OfflineMonitor({
    stack: run.stack,
    project: run.project,
    preview: run.preview,
    applyAdditionalSecretOutputs: run.applyAdditionalSecretOutputs,
    models: [azureNativeModel, azureadModel, randomModel],
    invokes: { "azure-native:authorization:getClientConfig": () => ({ ...OFFLINE_CLIENT }) },
  });
  settings.setMockOptions(monitor, run.project, run.stack, run.preview, run.organization ?? "organization");
  const store = state.getStore();
  Object.assign(store, {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsAliasSpecs: true,
  });
  pulumi.runtime.setAllConfig(run.config, run.secretKeys);

  // A failed registration surfaces as an unhandled rejection (the engine's language host does the same): turn it
  // into this run's error instead of a crashed process.
  let fail: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const onError = (e: unknown) => fail(e);
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  let exported: Record<string, unknown> | undefined;
  try {
    const program = require(path.resolve(run.programDir, "index.ts"));
    exported = await Promise.race([
      stack.runInPulumiStack(async () => (typeof program === "function" ? await program() : program)),
      failed,
    ]);
    await Promise.race([settings.waitForRPCs(), failed]);
  } finally {
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }
  const root = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
  return { records: monitor.records, stackOutputs: (root?.outputs as Record<string, unknown>) ?? exported ?? {} };
}
