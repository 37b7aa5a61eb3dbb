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
 *   name, options (protect, additionalSecretOutputs, parent, custom timeouts) and the provider
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
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { parse as parseYaml } from "yaml";
import type { EnforcementLevel, ResourceRecord, Violation } from "./types";
import {
  ConfiguredLevel,
  PolicyConfigEntry,
  PolicySchemaInfo,
  parsePolicyPackConfig,
  reconcilePolicyPackConfig,
} from "./analyzerConfig";
import { PackProcess, PolicyPackBootError, summarizeStderr } from "./analyzerProcess";
import { SecretScrubber, toAnalyzerProperties } from "./analyzerWire";

export { PolicyConfigError } from "./analyzerConfig";
export { PolicyPackBootError } from "./analyzerProcess";

export interface PolicyPackRun {
  packDir: string;
  /** Parsed `--policy-pack-config` JSON, or a promise of it (the pack boots while it is computed). */
  config?: Record<string, unknown> | Promise<Record<string, unknown>>;
  stack: string;
  project: string;
  organization?: string;
  dryRun: boolean;
}

export interface PolicyInfo {
  name: string;
  displayName?: string;
  description: string;
  /** The level in force for this run: the policy's own, after `--policy-pack-config`. */
  enforcementLevel: EnforcementLevel | "disabled" | "remediate";
  /** Tags that are control IDs (`KV-02`). */
  controls: string[];
  tags: string[];
  severity?: string;
  remediationSteps?: string;
  url?: string;
}

export interface PolicyEvaluation {
  packName: string;
  packVersion: string;
  policies: PolicyInfo[];
  violations: Violation[];
}

/** Where one analyze() spent its time (for `npm run bench`). */
export interface AnalyzeStats {
  resources: number;
  analyzeCalls: number;
  remediateCalls: number;
  /** Wall time of the per-resource Remediate/Analyze calls. */
  resourcePhaseMs: number;
  /** Wall time of the single AnalyzeStack call. */
  stackPhaseMs: number;
}

/** The pack failed while analyzing (a policy threw, a call timed out, the process died). */
export class PolicyPackRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackRunError";
  }
}

export interface AnalyzerTimeouts {
  /** Until the pack prints its port. */
  bootMs: number;
  /** Each ConfigureStack / GetAnalyzerInfo / Configure / Analyze / Remediate call. */
  callMs: number;
  /** The single AnalyzeStack call over the whole stack. */
  stackMs: number;
}

export interface PolicyPackSessionOptions extends PolicyPackRun {
  timeouts?: Partial<AnalyzerTimeouts>;
  /** Analyze calls in flight at once (the pack serves them on one event loop). */
  concurrency?: number;
}

const DEFAULT_TIMEOUTS: AnalyzerTimeouts = { bootMs: 30_000, callMs: 30_000, stackMs: 120_000 };
// Measured on 3,000 resources with the fixture pack (2 cores): 1 in flight 6.5 s, 4 → 3.8 s,
// 8 → 3.2 s, 16 → 2.7 s, 32 → 2.4 s. Past ~16 the pack's single event loop is the bottleneck.
const DEFAULT_CONCURRENCY = 16;
const CONTROL_ID = /^[A-Z]+-\d{2}$/;
const MAX_MESSAGE = 400 * 1024 * 1024; // same ceiling as the pack's server

const LEVEL_FROM_PROTO: Record<number, ConfiguredLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_TO_PROTO: Record<ConfiguredLevel, analyzerPb.EnforcementLevel> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
};
const SEVERITY_FROM_PROTO: Record<number, string | undefined> = {
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** Version from PulumiPolicy.yaml wins over the pack's, as in the CLI. */
function versionFromPolicyYaml(packDir: string): string | undefined {
  try {
    const doc = parseYaml(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")) as { version?: unknown };
    return doc && typeof doc.version === "string" && doc.version !== "" ? doc.version : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
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

/** Unary calls with a deadline, turning every failure into one printable, scrubbed line. */
class Rpc {
  constructor(
    private readonly client: analyzerGrpc.AnalyzerClient,
    private readonly proc: PackProcess,
    private readonly scrubber: SecretScrubber,
    private readonly timeouts: AnalyzerTimeouts,
  ) {}

  unary<R>(method: string, request: unknown, label: string, deadlineMs = this.timeouts.callMs): Promise<R> {
    const fn = (this.client as unknown as Record<string, (...args: unknown[]) => unknown>)[method].bind(this.client);
    return new Promise<R>((resolve, reject) => {
      fn(request, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err: grpc.ServiceError | null, res: R) => {
        if (!err) return resolve(res);
        // A dead pack shows up as UNAVAILABLE slightly before its exit event: wait for it briefly,
        // so the error says "exited" with the pack's own last words instead of a transport error.
        const settle = err.code === grpc.status.UNAVAILABLE ? this.proc.waitForExit(1000) : Promise.resolve();
        void settle.then(() => reject(this.describe(err, label, deadlineMs)));
      });
    });
  }

  private describe(err: grpc.ServiceError, label: string, deadlineMs: number): Error {
    if (this.proc.hasExited) return new PolicyPackBootError(this.proc.describeFailure(`exited during ${label}`), this.proc.pid);
    if (err.code === grpc.status.DEADLINE_EXCEEDED) {
      return new PolicyPackRunError(this.scrubber.scrub(`policy pack did not answer ${label} within ${deadlineMs} ms`));
    }
    const detail = summarizeStderr(err.details || err.message);
    return new PolicyPackRunError(this.scrubber.scrub(`policy pack failed in ${label}: ${detail}`));
  }
}

function describePolicy(p: analyzerPb.PolicyInfo): { info: PolicyInfo; schema: PolicySchemaInfo } {
  const tags = p.getTagsList();
  const level = LEVEL_FROM_PROTO[p.getEnforcementlevel()] ?? "advisory";
  const info: PolicyInfo = {
    name: p.getName(),
    description: p.getDescription(),
    enforcementLevel: level,
    controls: tags.filter((t) => CONTROL_ID.test(t)),
    tags,
  };
  if (p.getDisplayname()) info.displayName = p.getDisplayname();
  const severity = SEVERITY_FROM_PROTO[p.getSeverity()];
  if (severity) info.severity = severity;
  if (p.getRemediationSteps()) info.remediationSteps = p.getRemediationSteps();
  if (p.getUrl()) info.url = p.getUrl();

  const schema: PolicySchemaInfo = { name: info.name, enforcementLevel: level };
  const cs = p.getConfigschema();
  if (cs) {
    schema.schemaProperties = (cs.getProperties()?.toJavaScript() ?? {}) as PolicySchemaInfo["schemaProperties"];
    schema.schemaRequired = cs.getRequiredList();
  }
  return { info, schema };
}

/** The provider reference `urn::id` resolved to the provider resource, as the engine sends it. */
function providerOf(r: ResourceRecord, byUrn: Map<string, ResourceRecord>): analyzerPb.AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const sep = r.provider.lastIndexOf("::");
  const urn = sep > 0 ? r.provider.slice(0, sep) : r.provider;
  const prov = byUrn.get(urn);
  if (!prov) return undefined;
  const msg = new analyzerPb.AnalyzerProviderResource();
  msg.setUrn(prov.urn);
  msg.setType(prov.type);
  msg.setName(prov.name);
  msg.setProperties(toStruct(toAnalyzerProperties(prov.inputs)));
  return msg;
}

function resourceOptions(r: ResourceRecord): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(r.protect);
  opts.setIgnorechangesList([]);
  opts.setDeletebeforereplacedefined(false);
  opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
  opts.setAliasesList([]);
  opts.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

function analyzeRequest(
  r: ResourceRecord,
  inputs: Record<string, unknown>,
  provider: analyzerPb.AnalyzerProviderResource | undefined,
): analyzerPb.AnalyzeRequest {
  const req = new analyzerPb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(toStruct(inputs));
  req.setOptions(resourceOptions(r));
  if (provider) req.setProvider(provider);
  return req;
}

function stackResource(r: ResourceRecord, provider: analyzerPb.AnalyzerProviderResource | undefined): analyzerPb.AnalyzerResource {
  const res = new analyzerPb.AnalyzerResource();
  res.setUrn(r.urn);
  res.setType(r.type);
  res.setName(r.name);
  res.setProperties(toStruct(toAnalyzerProperties(r.outputs)));
  res.setOptions(resourceOptions(r));
  if (provider) res.setProvider(provider);
  res.setParent(r.parent ?? "");
  res.setDependenciesList(r.dependencies ?? []);
  const deps = res.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
    if (!urns || urns.length === 0) continue; // the engine skips properties without dependencies
    const pd = new analyzerPb.AnalyzerPropertyDependencies();
    pd.setUrnsList(urns);
    deps.set(key, pd);
  }
  return res;
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
