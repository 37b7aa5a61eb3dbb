/**
 * Evaluates a CrossGuard policy pack exactly as the Pulumi engine does during `pulumi preview` /
 * `pulumi up` (pulumi/pulumi 3.x: plugin.NewPolicyAnalyzer, analyzer.ReconcilePolicyPackConfig,
 * deploy.stepGenerator.generateSteps / AnalyzeResources), so a pack that passes here passes there:
 *
 * - boot: the pack runs as its own process under `@pulumi/pulumi/cmd/run-policy-pack`, with the
 *   engine's environment (see analyzerProcess.ts), and is spoken to over gRPC `pulumirpc.Analyzer`;
 * - ConfigureStack (stack, project, organization, dry-run) → GetAnalyzerInfo → Configure with the
 *   reconciled `--policy-pack-config` (schema defaults, `all`, per-policy levels and properties,
 *   schema validation; see analyzerConfig.ts);
 * - per resource, in registration order: Remediate first when any policy is configured
 *   `remediate` (its properties replace the inputs), then Analyze on the **inputs** with urn, type,
 *   name, options (protect, ignoreChanges, deleteBeforeReplace, additionalSecretOutputs, parent, custom timeouts) and the provider
 *   resource's inputs. Like the engine, every registered resource is analyzed — components, the
 *   stack and provider resources too — and a violation is attributed to the analyzed resource's urn;
 * - once at the end: AnalyzeStack on every resource's **outputs** with parent, dependencies and
 *   propertyDependencies; a stack violation keeps the urn the policy gave (or none);
 * - values travel in wire form (secrets, unknown sentinels) through Struct.fromJavaScript, as
 *   MarshalProperties(KeepUnknowns, KeepSecrets, SkipInternalKeys) sends them (analyzerWire.ts);
 * - REMEDIATE diagnostics count as mandatory; the server's "can't run during preview" diagnostics
 *   for unknown values arrive as advisory violations (never a silent pass).
 * Not mirrored: the Handshake RPC (@pulumi/policy does not implement it; the CLI then falls back
 * to exactly this boot), stack config / stack tags in ConfigureStack (the pack does not read them).
 *
 * Split by job: analyzerTypes.ts (public shapes), analyzerMessages.ts (the protobuf messages), analyzerRpc.ts (calls
 * with deadlines), analyzerConfig.ts (config reconciliation), analyzerProcess.ts (boot), analyzerWire.ts (values).
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { parse as parseYaml } from "yaml";
import type { ResourceRecord, Violation } from "./types";
import {
  ConfiguredLevel,
  PolicyConfigEntry,
  parsePolicyPackConfig,
  reconcilePolicyPackConfig,
} from "./analyzerConfig";
import { LEVEL_FROM_PROTO, LEVEL_TO_PROTO, analyzeRequest, describePolicy, providerOf, stackResource, toStruct } from "./analyzerMessages";
import { PackProcess } from "./analyzerProcess";
import { Rpc, mapBounded } from "./analyzerRpc";
import {
  PolicyPackRunError,
  type AnalyzeStats, type AnalyzerTimeouts, type PolicyEvaluation, type PolicyInfo, type PolicyPackRun, type PolicyPackSessionOptions,
} from "./analyzerTypes";
import { SecretScrubber, toAnalyzerProperties } from "./analyzerWire";

export { PolicyConfigError } from "./analyzerConfig";
export { PolicyPackBootError } from "./analyzerProcess";
export * from "./analyzerTypes";

const DEFAULT_TIMEOUTS: AnalyzerTimeouts = { bootMs: 30_000, callMs: 30_000, stackMs: 120_000 };
// Measured on 3,000 resources with the fixture pack (2 cores): 1 in flight 6.5 s, 4 → 3.8 s,
// 8 → 3.2 s, 16 → 2.7 s, 32 → 2.4 s. Past ~16 the pack's single event loop is the bottleneck.
const DEFAULT_CONCURRENCY = 16;
const MAX_MESSAGE = 400 * 1024 * 1024; // same ceiling as the pack's server

/** Version from PulumiPolicy.yaml wins over the pack's, as in the CLI. */
function versionFromPolicyYaml(packDir: string): string | undefined {
  try {
    const doc = parseYaml(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")) as { version?: unknown };
    return doc && typeof doc.version === "string" && doc.version !== "" ? doc.version : undefined;
  } catch {
    return undefined;
  }
}

/** A started pack, configured for one stack; analyze one or more resource sets, then close. */
export class PolicyPackSession {
  readonly packName: string;
  readonly packVersion: string;
  readonly policies: PolicyInfo[];
  private readonly controlsByPolicy: Map<string, string[]>;
  private readonly timeouts: AnalyzerTimeouts;
  private readonly concurrency: number;
  private readonly remediates: boolean;
  private closed = false;
  /** Timings and call counts of the last analyze(). */
  lastStats: AnalyzeStats | undefined;

  private constructor(
    private readonly proc: PackProcess,
    private readonly client: analyzerGrpc.AnalyzerClient,
    private readonly scrubber: SecretScrubber,
    init: { packName: string; packVersion: string; policies: PolicyInfo[]; timeouts: AnalyzerTimeouts; concurrency: number },
  ) {
    this.packName = init.packName;
    this.packVersion = init.packVersion;
    this.policies = init.policies;
    this.timeouts = init.timeouts;
    this.concurrency = init.concurrency;
    this.controlsByPolicy = new Map(init.policies.map((p) => [p.name, p.controls]));
    this.remediates = init.policies.some((p) => p.enforcementLevel === "remediate");
  }

  /** Process id of the pack (tests check that it is gone after close). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /**
   * Boots the pack and configures it. `scrubber` may already know secrets (so even a boot error
   * cannot print one); analyze() adds the secrets of every stack it sees.
   */
  static async start(opts: PolicyPackSessionOptions, scrubber = new SecretScrubber()): Promise<PolicyPackSession> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...(opts.timeouts ?? {}) };
    // A config known up front is checked before anything starts; one still being computed (a promise) is awaited
    // after the pack process was spawned, so the pack boots meanwhile.
    const early = opts.config instanceof Promise ? undefined : parsePolicyPackConfig(opts.config);
    const packDir = path.resolve(opts.packDir);
    const { proc, address } = await PackProcess.start({
      packDir,
      stack: opts.stack,
      project: opts.project,
      organization: opts.organization,
      dryRun: opts.dryRun,
      bootTimeoutMs: timeouts.bootMs,
      scrub: scrubber.scrub,
    });
    const client = new analyzerGrpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
    try {
      const requested = early ?? parsePolicyPackConfig(await opts.config);
      const rpc = new Rpc(client, proc, scrubber, timeouts);

      const stackReq = new analyzerPb.AnalyzerStackConfigureRequest();
      stackReq.setStack(opts.stack);
      stackReq.setProject(opts.project);
      stackReq.setOrganization(opts.organization ?? "");
      stackReq.setDryRun(opts.dryRun);
      await rpc.unary("configureStack", stackReq, "ConfigureStack");

      const info = await rpc.unary<analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new Empty(), "GetAnalyzerInfo");
      const described = info.getPoliciesList().map(describePolicy);
      const initial: Record<string, PolicyConfigEntry> = {};
      info.getInitialconfigMap().forEach((v: analyzerPb.PolicyConfig, k: string) => {
        initial[k] = { enforcementLevel: LEVEL_FROM_PROTO[v.getEnforcementlevel()], properties: v.getProperties()?.toJavaScript() };
      });

      // The CLI only reconciles config for packs that say they support it.
      const reconciled = info.getSupportsconfig()
        ? reconcilePolicyPackConfig(described.map((d) => d.schema), initial, requested)
        : {};
      if (Object.keys(reconciled).length > 0) {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(reconciled)) {
          const pc = new analyzerPb.PolicyConfig();
          pc.setEnforcementlevel(LEVEL_TO_PROTO[entry.enforcementLevel as ConfiguredLevel]);
          pc.setProperties(toStruct(entry.properties ?? {}));
          map.set(name, pc);
        }
        await rpc.unary("configure", req, "Configure");
      }

      const policies = described
        .map((d) => ({ ...d.info, enforcementLevel: reconciled[d.info.name]?.enforcementLevel ?? d.info.enforcementLevel }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return new PolicyPackSession(proc, client, scrubber, {
        packName: info.getName(),
        packVersion: versionFromPolicyYaml(packDir) ?? info.getVersion(),
        policies,
        timeouts,
        concurrency: Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY),
      });
    } catch (e) {
      client.close();
      await proc.kill();
      throw e;
    }
  }

  /** Runs the resource policies on every resource and the stack policies once, like one preview/update. */
  async analyze(resources: ResourceRecord[]): Promise<Violation[]> {
    if (this.closed) throw new PolicyPackRunError(`policy pack ${this.packName} session is closed`);
    for (const r of resources) {
      this.scrubber.addFrom(r.inputs);
      this.scrubber.addFrom(r.outputs);
    }
    const rpc = new Rpc(this.client, this.proc, this.scrubber, this.timeouts);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stats: AnalyzeStats = { resources: resources.length, analyzeCalls: 0, remediateCalls: 0, resourcePhaseMs: 0, stackPhaseMs: 0 };
    const started = Date.now();

    const perResource = await mapBounded(resources, this.concurrency, async (r) => {
      const found: Violation[] = [];
      let inputs = toAnalyzerProperties(r.inputs);
      const provider = providerOf(r, byUrn);
      if (this.remediates) {
        stats.remediateCalls++;
        const res = await rpc.unary<analyzerPb.RemediateResponse>("remediate", analyzeRequest(r, inputs, provider), `Remediate(${r.urn})`);
        for (const rem of res.getRemediationsList()) {
          if (rem.getDiagnostic()) {
            const v = this.violation(rem.getPolicyname(), analyzerPb.EnforcementLevel.ADVISORY, r.urn, rem.getDiagnostic());
            if (v) found.push(v);
          } else if (rem.getProperties()) {
            inputs = rem.getProperties()!.toJavaScript() as typeof inputs;
          }
        }
      }
      stats.analyzeCalls++;
      const res = await rpc.unary<analyzerPb.AnalyzeResponse>("analyze", analyzeRequest(r, inputs, provider), `Analyze(${r.urn})`);
      for (const d of res.getDiagnosticsList()) {
        // As the engine: a resource violation always belongs to the resource being analyzed.
        const v = this.violation(d.getPolicyname(), d.getEnforcementlevel(), r.urn, d.getMessage());
        if (v) found.push(v);
      }
      return found;
    });

    stats.resourcePhaseMs = Date.now() - started;
    const stackStarted = Date.now();
    const stackReq = new analyzerPb.AnalyzeStackRequest();
    stackReq.setResourcesList(resources.map((r) => stackResource(r, providerOf(r, byUrn))));
    const stackRes = await rpc.unary<analyzerPb.AnalyzeResponse>("analyzeStack", stackReq, "AnalyzeStack", this.timeouts.stackMs);
    const stackViolations = stackRes
      .getDiagnosticsList()
      .map((d) => this.violation(d.getPolicyname(), d.getEnforcementlevel(), d.getUrn() || null, d.getMessage()))
      .filter((v): v is Violation => v !== undefined);
    stats.stackPhaseMs = Date.now() - stackStarted;
    this.lastStats = stats;

    return [...perResource.flat(), ...stackViolations];
  }

  private violation(policy: string, level: number, urn: string | null, message: string): Violation | undefined {
    const configured = LEVEL_FROM_PROTO[level];
    if (configured === "disabled") return undefined;
    return {
      policy,
      controls: this.controlsByPolicy.get(policy) ?? [],
      enforcementLevel: configured === "advisory" ? "advisory" : "mandatory",
      urn,
      message: this.scrubber.scrub(message),
    };
  }

  /** Closes the connection and kills the pack; waits until the process is gone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    await this.proc.kill();
  }
}


/**
 * Boots the pack, runs one preview/update-equivalent evaluation over `resources`, and always
 * kills the pack, also on error.
 */
export async function evaluatePolicyPack(resources: ResourceRecord[], run: PolicyPackRun): Promise<PolicyEvaluation> {
  const scrubber = new SecretScrubber();
  for (const r of resources) {
    scrubber.addFrom(r.inputs);
    scrubber.addFrom(r.outputs);
  }
  return analyzeAndClose(await PolicyPackSession.start(run, scrubber), resources);
}

/** One evaluation on a started session, then the pack is closed (also on error). */
export async function analyzeAndClose(session: PolicyPackSession, resources: ResourceRecord[]): Promise<PolicyEvaluation> {
  try {
    const violations = await session.analyze(resources);
    return { packName: session.packName, packVersion: session.packVersion, policies: session.policies, violations };
  } finally {
    await session.close();
  }
}
