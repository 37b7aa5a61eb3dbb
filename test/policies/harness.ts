/**
 * Drives one policy in-process the way @pulumi/policy's analyzer server does (server.js):
 * props wrapped in the unknown-checking proxy, `getConfig` returning the raw per-policy config
 * (no schema defaults: the policy must apply them), stack resources linked by urn for
 * `dependencies` / `propertyDependencies` / `parent`, and an UnknownValueError turned into the
 * server's "can't run during preview" outcome instead of a result.
 */
import {
  Policy,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  unknownCheckingProxy,
  UnknownValueError,
} from "@pulumi/policy";

// The sentinels the analyzer's deserializer leaves in props for unknown values (proxy.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the proxy sub-path ships no type declarations
const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
export const UNKNOWN = {
  string: proxy.unknownStringValue,
  bool: proxy.unknownBooleanValue,
  number: proxy.unknownNumberValue,
  array: proxy.unknownArrayValue,
  object: proxy.unknownObjectValue,
};

export interface Outcome {
  /** Messages passed to reportViolation (without the description prefix the server adds). */
  messages: string[];
  /** urn argument of each reportViolation call (stack policies). */
  urns: (string | undefined)[];
  /** Set when the policy read an unknown value: the server reports "can't run during preview". */
  unknown?: string;
  notApplicable?: string;
}

class NotApplicable extends Error {
  constructor(readonly reason?: string) { super(reason ?? "not applicable"); }
}

function collector(): { outcome: Outcome; report: (message: string, urn?: string) => void } {
  const outcome: Outcome = { messages: [], urns: [], unknown: undefined, notApplicable: undefined };
  return { outcome, report: (message, urn) => { outcome.messages.push(message); outcome.urns.push(urn); } };
}

async function settle(outcome: Outcome, run: () => unknown): Promise<Outcome> {
  try {
    await Promise.resolve(run());
  } catch (e) {
    if (e instanceof UnknownValueError) outcome.unknown = (e as Error).message;
    else if (e instanceof NotApplicable) outcome.notApplicable = e.reason ?? "";
    else throw e;
  }
  return outcome;
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  return typeof (p as ResourceValidationPolicy).validateResource !== "undefined";
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::mlvault::${type}::${name}`;
}

export interface ResourceInput {
  type: string;
  props: Record<string, any>;
  name?: string;
  protect?: boolean;
  config?: Record<string, unknown>;
}

export async function runResource(policy: Policy, input: ResourceInput): Promise<Outcome> {
  if (!isResourcePolicy(policy)) throw new Error(`${policy.name} is not a resource policy`);
  const { outcome, report } = collector();
  const name = input.name ?? "res";
  const props = unknownCheckingProxy(JSON.parse(JSON.stringify(input.props)));
  const args: ResourceValidationArgs = {
    type: input.type,
    props,
    urn: urnOf(input.type, name),
    name,
    opts: { protect: input.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (input.config ?? {}) as T,
    notApplicable: (reason?: string): never => { throw new NotApplicable(reason); },
  };
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  return settle(outcome, async () => { for (const v of validations) await v(args, report); });
}

export interface StackInput {
  type: string;
  name: string;
  /** Outputs as the provider returns them (ARM read-back for azure-native). */
  props: Record<string, any>;
  protect?: boolean;
  parent?: string;
  /** Names (or urns) of other resources in the same call. */
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export async function runStack(policy: Policy, inputs: StackInput[], config?: Record<string, unknown>): Promise<Outcome> {
  if (typeof (policy as StackValidationPolicy).validateStack !== "function") throw new Error(`${policy.name} is not a stack policy`);
  const { outcome, report } = collector();
  const byName = new Map<string, PolicyResource>();
  const resources: PolicyResource[] = inputs.map((r) => {
    const res: PolicyResource = {
      type: r.type,
      props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props))),
      urn: urnOf(r.type, r.name),
      name: r.name,
      opts: { protect: r.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byName.set(r.name, res);
    byName.set(res.urn, res);
    return res;
  });
  // Like the server: references to resources not in the request are dropped.
  const resolve = (refs: string[] | undefined) => (refs ?? []).map((n) => byName.get(n)).filter((r): r is PolicyResource => r !== undefined);
  inputs.forEach((r, i) => {
    resources[i].dependencies = resolve(r.dependencies);
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) resources[i].propertyDependencies[k] = resolve(v);
    if (r.parent) resources[i].parent = byName.get(r.parent);
  });
  const args = {
    resources,
    getConfig: <T extends object>() => (config ?? {}) as T,
    stackTags: new Map<string, string>(),
    notApplicable: (reason?: string): never => { throw new NotApplicable(reason); },
  };
  return settle(outcome, () => (policy as StackValidationPolicy).validateStack(args, report));
}

/** Shorthand: the control IDs named at the start of each message ("KV-02: …"). */
export function controlsIn(outcome: Outcome): string[] {
  return outcome.messages.map((m) => m.split(":")[0]);
}
