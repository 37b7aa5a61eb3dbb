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
  /** See MonitorOptions.onRegister. */
  onRegister?: (count: number) => void;
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
  // Resource.callsites is private in the SDK's typings; it is a plain static method at run time.
  const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites: () => unknown[] } };

  const monitor = new OfflineMonitor({
    stack: run.stack,
    project: run.project,
    preview: run.preview,
    applyAdditionalSecretOutputs: run.applyAdditionalSecretOutputs,
    onRegister: run.onRegister,
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
  const restoreSdk = skipUnusedSdkWork(Resource, require("@pulumi/pulumi/runtime/debuggable"));
  try {
    const program = require(path.resolve(run.programDir, "index.ts"));
    exported = await Promise.race([
      stack.runInPulumiStack(async () => {
        stack.registerStackTransformation(dropAliases);
        return typeof program === "function" ? await program() : program;
      }),
      failed,
    ]);
    await Promise.race([settings.waitForRPCs(), failed]);
  } finally {
    restoreSdk();
    process.off("unhandledRejection", onError);
    process.off("uncaughtException", onError);
  }
  const root = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
  return { records: monitor.records, stackOutputs: (root?.outputs as Record<string, unknown>) ?? exported ?? {} };
}

/*
 * Per-registration work the SDK does for the engine's benefit that the offline monitor never reads. Profiled on a
 * 30-project stack (1,090 resources) it was ~40% of the program's time and most of its garbage; see
 * docs/performance.md. Removing it changes no record, URN, output or error message.
 */

/**
 * azure-native gives every resource 10-20 type aliases (older API versions). The SDK turns each into an Output
 * chain (collapseAliasToUrn: ~6 promises each) before registering; the offline engine has no previous state to
 * alias from and records no aliases. A stack transformation runs before that step, so dropping them here skips it.
 */
function dropAliases(args: { props: Record<string, unknown>; opts: { aliases?: unknown[] } }) {
  if (!args.opts.aliases || args.opts.aliases.length === 0) return undefined;
  return { props: args.props, opts: { ...args.opts, aliases: undefined } };
}

/**
 * The SDK captures call stacks twice per resource (Resource.callsites for the engine's source positions, with
 * Error.stackTraceLimit = Infinity, and `new Error().stack` on every debuggable promise), formatting each into a
 * string: a third of the CPU time and a large share of the memory churn. Offline, source positions are never read.
 * debuggablePromise also wraps each of its ~57 promises per resource in `.then().catch()` and pins a stack string
 * and a label to it, for PULUMI_DEBUG_PROMISE_LEAKS reports; the lean version keeps what the SDK relies on (the
 * leak-candidate set its exit check reads, `err.promise`) in one `.then`. Everything is restored after the run, and
 * left untouched with MLVAULT_DEBUG or PULUMI_DEBUG_PROMISE_LEAKS set. Returns the function that restores it.
 */
function skipUnusedSdkWork(resource: { callsites: () => unknown[] }, debuggable: DebuggableModule): () => void {
  if (process.env.MLVAULT_DEBUG || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => undefined;
  const callsites = resource.callsites;
  const debuggablePromise = debuggable.debuggablePromise;
  const limit = Error.stackTraceLimit;
  // One call through the original schedules the SDK's exit-time leak check, which reads the same set.
  void debuggablePromise(Promise.resolve(), "mlvault offline run");
  resource.callsites = () => [];
  const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
  debuggable.debuggablePromise = (p) => leanDebuggablePromise(p, state.getStore().leakCandidates);
  Error.stackTraceLimit = 0;
  return () => {
    resource.callsites = callsites;
    debuggable.debuggablePromise = debuggablePromise;
    Error.stackTraceLimit = limit;
  };
}

interface DebuggableModule {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
}

function leanDebuggablePromise<T>(p: Promise<T>, candidates: Set<Promise<unknown>>): Promise<T> {
  candidates.add(p);
  return p.then(
    (value) => {
      candidates.delete(p);
      return value;
    },
    (err) => {
      candidates.delete(p);
      if (err && typeof err === "object") (err as { promise?: unknown }).promise = p;
      throw err;
    },
  );
}
