/**
 * The change a plan makes to an earlier state: each resource's operation as Pulumi would plan it (create, update,
 * replace, delete, same), the input paths that differ, and why a replacement is forced. Which changes force one comes
 * from change/data/replacement.json (the providers' own rules, with sources), plus the resource's
 * `replaceOnChanges`; `ignoreChanges` paths are never sent, as under the engine. A resource created or replaced
 * earlier in the plan makes every input computed from it unknown during `pulumi preview`, which is how Pulumi's
 * replacements cascade (a role assignment scoped to a replaced vault is replaced too).
 */
import type { ResourceRecord } from "../engine/types";
import { optionsOf } from "../engine/types";
import { OFFLINE_CLIENT } from "../engine/providers/ids";
import type { Baseline, BaselineResource, BaselineKind } from "./baseline";
import { changedPaths } from "./compare";
import type { Op } from "./ops";
import { covers, inside, matching, rulesOf, type Rule } from "./rules";
import { fromWire } from "./values";
import { isSecret } from "../engine/wire";

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  op: Op;
  /** Input paths that differ and will be sent (ignoreChanges paths are not). */
  diff: string[];
  /** For a replace: the changed paths that force it, each with the rule's reason. */
  replaceReasons: string[];
  /** Changed paths that will not reach Azure (ignoreChanges) or that ARM does not apply. */
  ignored: { path: string; why: string; source?: string }[];
  /** Changed paths Azure refuses to change after creation. */
  immutable: Rule[];
  /** Inputs computed from a resource created or replaced in this plan (unknown until then). */
  computed: string[];
  /**
   * The old resource goes before the new one exists: the resource option, or azure-native's rule (provider.go Diff,
   * https://github.com/pulumi/pulumi-azure-native/blob/v3.28.0/provider/pkg/provider/provider.go).
   */
  deleteBeforeReplace: boolean;
  /** Protected in the earlier state (Pulumi refuses to delete or replace it). */
  protectedBefore: boolean;
  retainOnDelete: boolean;
  /** Custom resource with changes the rules data does not cover (the preview cannot say update or replace). */
  unjudged: boolean;
  /** A stack export's copy pending deletion (same URN as a live resource): the next up deletes it. */
  pendingDelete?: boolean;
  before?: BaselineResource;
  after?: ResourceRecord;
}

export interface ChangePreview {
  against: { kind: BaselineKind; file: string; stack?: string };
  /** This plan's resources in registration order, then the deleted ones (reverse order, as Pulumi deletes). */
  changes: ResourceChange[];
  counts: Record<Op, number>;
  /** False against a stack export: its ciphertext cannot be compared with the stack file's without decrypting. */
  secretsCompared: boolean;
}

/** The offline engine's stand-ins for ids only Azure knows (subscription, tenant, client): match any GUID. */
const OFFLINE_IDS = Object.values(OFFLINE_CLIENT);

/**
 * Inputs azure-native's Check adds to what the program sent, so a stack export holds them and the program does not:
 * `azureApiVersion` (v3), the `__createBeforeDelete` flag of randomly auto-named resources, and `location` taken
 * from the old inputs when the program leaves it out (provider.go applyDefaults / getDefaultLocation, v3.28.0). The
 * provider fills them in the same way on the next run, so they are not changes.
 */
const AZURE_NATIVE_DEFAULTED = ["azureApiVersion", "__createBeforeDelete", "location"];


export function previewChanges(records: ResourceRecord[], baseline: Baseline): ChangePreview {
  const before = new Map(baseline.resources.map((r) => [r.urn, r]));
  const ops = new Map<string, Op>();
  const changes: ResourceChange[] = [];
  const ctx: Context = { kind: baseline.kind, ops, before, planned: new Map(records.map((r) => [r.urn, r])) };
  for (const record of records) {
    const change = changeOf(record, before.get(record.urn), ctx);
    ops.set(record.urn, change.op);
    changes.push(change);
  }
  const present = new Set(records.map((r) => r.urn));
  for (const old of [...baseline.resources].reverse()) {
    if (present.has(old.urn)) continue;
    changes.push({
      ...base(old.urn, old.type, old.name, old.parent, old.custom), op: "delete", before: old,
      protectedBefore: old.options.protect, retainOnDelete: old.options.retainOnDelete,
    });
  }
  for (const copy of baseline.pendingDeletes) {
    changes.push({
      ...base(copy.urn, copy.type, copy.name, copy.parent, copy.custom), op: "delete", before: copy, pendingDelete: true,
      protectedBefore: copy.options.protect, retainOnDelete: copy.options.retainOnDelete,
    });
  }
  const counts: Record<Op, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  for (const c of changes) counts[c.op]++;
  return { against: { kind: baseline.kind, file: baseline.file, stack: baseline.stack }, changes, counts, secretsCompared: baseline.kind === "plan-report" };
}

function base(urn: string, type: string, name: string, parent: string | null, custom: boolean): ResourceChange {
  return {
    urn, type, name, parent, custom, op: "same", diff: [], replaceReasons: [], ignored: [], immutable: [], computed: [],
    deleteBeforeReplace: false, protectedBefore: false, retainOnDelete: false, unjudged: false,
  };
}

interface Context {
  kind: BaselineKind;
  /** Operations decided so far (dependencies are registered, so decided, before their dependents). */
  ops: Map<string, Op>;
  before: Map<string, BaselineResource>;
  planned: Map<string, ResourceRecord>;
}

function changeOf(record: ResourceRecord, old: BaselineResource | undefined, ctx: Context): ResourceChange {
  const { kind, ops } = ctx;
  const options = optionsOf(record);
  const change: ResourceChange = {
    ...base(record.urn, record.type, record.name, record.parent, record.custom), after: record, before: old,
    deleteBeforeReplace: options.deleteBeforeReplace, protectedBefore: old?.options.protect ?? false, retainOnDelete: options.retainOnDelete,
  };
  if (!old) return { ...change, op: "create" };
  // Components and the stack have no provider: nothing of theirs reaches Azure. azure-native's DiffConfig reports no
  // change for any provider config (provider.go), so its explicit providers are never updated or replaced.
  if (!record.custom || record.type === "pulumi:providers:azure-native") return change;

  // What the state itself asks for: a tainted resource is replaced, one whose replacement stopped after its delete
  // is created again, whatever the inputs say.
  const forced = old.taint ? "taint" : old.pendingReplacement ? "pendingReplacement" : undefined;

  const changed: string[] = [];
  const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(record.inputs)])].sort();
  const azureNative = record.type.startsWith("azure-native:");
  for (const key of keys) {
    if (azureNative && AZURE_NATIVE_DEFAULTED.includes(key) && !(key in record.inputs)) continue;
    const deps = record.propertyDependencies[key] ?? [];
    // Against a stack export, values computed from unchanged resources are Azure's real ones (principal ids, ids in
    // another subscription): each simulated output of a dependency is swapped for the export's value at the same
    // place, so a grant moved to another existing identity still shows as a change.
    const planned = kind === "stack-export" && deps.length > 0 ? realValues(record.inputs[key], deps, ctx) : record.inputs[key];
    const fresh = deps.filter((d) => ops.get(d) === "create" || ops.get(d) === "replace");
    if (fresh.length > 0) {
      // Only the values that flow from a created or replaced resource are unknown until it exists (as in the
      // engine): those paths change; the rest of the input is compared as usual. A value the program derived in
      // a way that hides where it came from makes the whole input unknown.
      const unknown = pathsFedBy(record.inputs[key], fresh, ctx, key);
      const marked = unknown.length > 0 ? unknown : [key];
      change.computed.push(...marked);
      const rest = unknown.length > 0 ? changedPaths(old.inputs[key], fromWire(planned), { wildcards: OFFLINE_IDS }, key) : [];
      // A path inside another changed one says nothing more (the whole `encryption` is new: its key id with it).
      const all = [...new Set([...marked, ...rest])];
      changed.push(...all.filter((p) => !all.some((q) => q !== p && inside(q, p))));
      continue;
    }
    // azure-native compares a top-level location without case or spaces ("West Europe" is "westeurope": diff.go).
    if (azureNative && key === "location" && typeof old.inputs[key] === "string" && typeof record.inputs[key] === "string") {
      if (normalLocation(old.inputs[key] as string) !== normalLocation(record.inputs[key] as string)) changed.push(key);
      continue;
    }
    changed.push(...changedPaths(old.inputs[key], fromWire(planned), { wildcards: OFFLINE_IDS }, key));
  }

  const rules = rulesOf(record.type);
  // A path within an ignoreChanges entry is never sent; a whole object holding one is, minus that part.
  const notSent = changed.filter((p) => options.ignoreChanges.some((ignore) => inside(ignore, p)));
  change.diff = changed.filter((p) => !notSent.includes(p));
  const armRule = (path: string) => (rules?.ignored ?? []).find((r) => covers(r.path, path));
  change.ignored = [
    ...notSent.map((path) => ({ path, why: armRule(path)?.why ?? "listed in the resource's ignoreChanges: never sent to Azure", source: armRule(path)?.source })),
    ...change.diff.flatMap((path) => {
      const rule = armRule(path);
      return rule ? [{ path, why: rule.why, source: rule.source }] : [];
    }),
  ];
  if (change.diff.length === 0 && !forced) return change;

  const forcing = [...(forced ? [forced] : []), ...matching(rules?.replaceOn ?? [], change.diff).map((r) => r.path), ...options.replaceOnChanges.filter((p) => change.diff.some((d) => covers(p, d)))];
  change.replaceReasons = [...new Set(forcing)];
  change.immutable = matching(rules?.immutable ?? [], change.diff).filter((rule) => directionApplies(rule, old.inputs, fromWire(record.inputs) as Record<string, unknown>));
  change.unjudged = rules === undefined && change.diff.length > 0 && !record.type.startsWith("pulumi:providers:");
  change.op = change.replaceReasons.length > 0 ? "replace" : "update";
  // azure-native replaces delete first unless the resource was randomly auto-named (provider.go Diff:
  // `deleteBeforeReplace := len(replaces) > 0`, lifted only by __createBeforeDelete); mlvault names everything.
  if (change.op === "replace" && azureNative && old.inputs.__createBeforeDelete !== true) change.deleteBeforeReplace = true;
  return change;
}

function normalLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, "");
}

/**
 * `value` with every string a dependency's simulated outputs hold replaced by what the export's outputs hold at the
 * same place (`principalId`, `id`, `properties.vaultUri`…), whole or inside a longer string (an id in a scope).
 */
function realValues(value: unknown, deps: string[], ctx: Context): unknown {
  const swaps = new Map<string, string>();
  for (const dep of deps) {
    const simulated = ctx.planned.get(dep)?.outputs;
    const real = ctx.before.get(dep)?.outputs;
    if (simulated && real) pairStrings(fromWire(simulated), real, swaps);
  }
  if (swaps.size === 0) return value;
  const ordered = [...swaps.entries()].sort(([a], [b]) => b.length - a.length);
  const swap = (v: unknown): unknown => {
    if (typeof v === "string") {
      const whole = swaps.get(v);
      if (whole !== undefined) return whole;
      let out = v;
      for (const [from, to] of ordered) if (from.length >= 20 && out.includes(from)) out = out.split(from).join(to);
      return out;
    }
    if (Array.isArray(v)) return v.map(swap);
    if (v !== null && typeof v === "object" && !isSecret(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(value);
}

/** Paths of `value` (wire form) holding a string one of `deps` outputs (an id, a name, a generated value). */
function pathsFedBy(value: unknown, deps: string[], ctx: Context, root: string): string[] {
  const fed = new Set<string>();
  for (const dep of deps) collectStrings(ctx.planned.get(dep)?.outputs, fed);
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (isSecret(v)) v = v.value;
    if (typeof v === "string") {
      if ([...fed].some((s) => v === s || (s.length >= 20 && (v as string).includes(s)))) found.push(path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(value, root);
  return found;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (isSecret(value)) return collectStrings(value.value, into);
  if (typeof value === "string" && value.length >= 8) into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into);
}

function pairStrings(simulated: unknown, real: unknown, swaps: Map<string, string>): void {
  if (typeof simulated === "string" && typeof real === "string") {
    if (simulated !== real && simulated.length >= 8) swaps.set(simulated, real);
    return;
  }
  if (Array.isArray(simulated) && Array.isArray(real)) simulated.forEach((s, i) => pairStrings(s, real[i], swaps));
  else if (simulated && real && typeof simulated === "object" && typeof real === "object") {
    for (const [k, v] of Object.entries(simulated)) pairStrings(v, (real as Record<string, unknown>)[k], swaps);
  }
}

/** A rule limited to one direction ("true->false") applies only when the value goes that way. */
function directionApplies(rule: Rule, before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  if (!rule.only) return true;
  const [from, to] = rule.only.split("->");
  const asText = (v: unknown) => (v === undefined || v === null ? "false" : String(v).toLowerCase());
  // Leaving the value out sends nothing for it: ARM keeps what the resource has (an omitted enablePurgeProtection
  // does not turn purge protection off).
  const next = valueAt(after, rule.path);
  return next !== undefined && next !== null && asText(valueAt(before, rule.path)) === from && asText(next) === to;
}

export function valueAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
