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
}

export interface ProgramResult {
  records: ResourceRecord[];
  stackOutputs: Record<string, unknown>;
}

/**
 * Runs a Pulumi TypeScript program in this process against the offline engine (no Pulumi CLI, no cloud) and
 * returns every resource it registered. One run per process: the Pulumi SDK keeps global state.
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

  const program = require(path.resolve(run.programDir, "index.ts"));
  const exported = await stack.runInPulumiStack(async () => {
    const result = typeof program === "function" ? await program() : program;
    return result;
  });
  await settings.waitForRPCs();
  const root = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
  return { records: monitor.records, stackOutputs: (root?.outputs as Record<string, unknown>) ?? exported ?? {} };
}
