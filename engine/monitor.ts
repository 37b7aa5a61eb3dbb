import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { explicitDependencies, type ResourceRecord } from "./types";
import type { ProviderModel } from "./providers/model";
import { UNKNOWN, isSecret, secret } from "./wire";

export interface MonitorOptions {
  stack: string;
  project: string;
  /** Preview: values providers compute are unknown, as in `pulumi preview`. */
  preview: boolean;
  models: ProviderModel[];
  /** Answers for invokes (function calls such as getClientConfig), by token. */
  invokes: Record<string, (args: Record<string, unknown>) => Record<string, unknown>>;
  /**
   * Apply `additionalSecretOutputs` as the engine does (default). Tests turn it off to prove the program marks
   * secrets itself, as it must under the SDK's mocks.
   */
  applyAdditionalSecretOutputs?: boolean;
  /** Called after each registration with the count so far (a progress line for long plans). */
  onRegister?: (count: number) => void;
}

type Callback<T> = (err: Error | null, resp?: T) => void;
type Struct = structproto.Struct;

/**
 * An in-process resource monitor that stands in for the Pulumi engine. Unlike the SDK's MockMonitor it behaves
 * like the engine where policies and reports can tell: engine-shaped URNs (the whole parent type chain), provider
 * read-back outputs instead of echoed inputs, `additionalSecretOutputs` applied, unknowns in preview, duplicate
 * URNs rejected. It records every registration (parent, dependencies, property dependencies, protect, inputs in
 * wire form) and does O(1) work per call, so large stacks stay linear.
 */
export class OfflineMonitor {
  readonly records: ResourceRecord[] = [];
  private readonly byUrn = new Map<string, ResourceRecord>();

  constructor(private readonly opts: MonitorOptions) {}

  registerResource(req: resproto.RegisterResourceRequest, callback: Callback<resproto.RegisterResourceResponse>): void {
    try {
      const type = req.getType();
      const name = req.getName();
      const parent = req.getParent() || null;
      const urn = this.urn(parent, type, name);
      if (this.byUrn.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const custom = req.getCustom();
      const additionalSecretOutputs = req.getAdditionalsecretoutputsList();
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });

      let id = "";
      let outputs: Record<string, unknown> = {};
      if (custom) {
        const modelled = this.model({ type, name, urn, inputs });
        id = modelled.id;
        outputs = this.opts.applyAdditionalSecretOutputs === false ? modelled.outputs : applySecretOutputs(modelled.outputs, additionalSecretOutputs);
        // In a preview the engine holds only what the provider's preview returns: inputs, with everything the
        // service computes (ids included) unknown. AnalyzeStack sees that too, so a link by id cannot be proven.
        if (this.opts.preview) outputs = unknownComputed(inputs, outputs) as Record<string, unknown>;
      }
      const dependencies = req.getDependenciesList();
      const record: ResourceRecord = {
        urn, type, name, parent, custom,
        protect: req.getProtect() === true,
        provider: req.getProvider() || undefined,
        dependencies,
        propertyDependencies,
        inputs,
        outputs,
        additionalSecretOutputs,
        id: custom ? id : undefined,
        options: {
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          ignoreChanges: req.getIgnorechangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace() === true,
          replaceOnChanges: req.getReplaceonchangesList(),
          dependsOn: explicitDependencies({ dependencies, propertyDependencies }),
        },
      };
      this.records.push(record);
      this.byUrn.set(urn, record);
      this.opts.onRegister?.(this.records.length);

      const visible = outputs;
      const resp = new resproto.RegisterResourceResponse();
      resp.setUrn(urn);
      resp.setId(this.opts.preview ? "" : id);
      resp.setObject(toStruct(visible));
      callback(null, resp);
    } catch (err) {
      callback(err as Error);
    }
  }

  registerResourceOutputs(req: resproto.RegisterResourceOutputsRequest, callback: Callback<unknown>): void {
    const record = this.byUrn.get(req.getUrn());
    if (!record) return callback(new Error(`unknown resource ${req.getUrn()}`));
    record.outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    callback(null, {});
  }

  invoke(req: resproto.ResourceInvokeRequest, callback: Callback<provproto.InvokeResponse>): void {
    try {
      const token = req.getTok();
      const answer = this.opts.invokes[token];
      if (!answer) throw new Error(`the offline engine cannot answer function '${token}'`);
      const resp = new provproto.InvokeResponse();
      resp.setReturn(toStruct(answer((req.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>)));
      callback(null, resp);
    } catch (err) {
      callback(err as Error);
    }
  }

  readResource(_req: unknown, callback: Callback<unknown>): void {
    callback(new Error("the offline engine does not read existing resources (.get); use a stack export with `mlvault audit`"));
  }

  supportsFeature(req: resproto.SupportsFeatureRequest, callback: Callback<{ getHassupport(): boolean }>): void {
    // Output values off, like the mock monitor: inputs arrive resolved (or as unknown sentinels), never as Output objects.
    const supported = req.getId() !== "outputValues";
    callback(null, { getHassupport: () => supported });
  }

  registerPackage(_req: unknown, callback: Callback<resproto.RegisterPackageResponse>): void {
    const resp = new resproto.RegisterPackageResponse();
    resp.setRef("offline");
    callback(null, resp);
  }

  /** The engine's URN: the parent's whole type chain (except the root stack's) joined by `$`. */
  private urn(parent: string | null, type: string, name: string): string {
    let qualified = type;
    if (parent) {
      const parentType = parent.split("::")[2];
      if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.opts.stack}::${this.opts.project}::${qualified}::${name}`;
  }

  private model(r: { type: string; name: string; urn: string; inputs: Record<string, unknown> }) {
    for (const m of this.opts.models) {
      const out = m(r);
      if (out) return out;
    }
    return { id: `${r.name}-id`, outputs: { ...r.inputs } };
  }
}

/** protobuf Structs have no `undefined`: drop such keys, as the engine's serializer does. */
function toStruct(value: unknown): Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

/** The engine marks these outputs secret after the provider returns them; mocks do not, so we do. */
function applySecretOutputs(outputs: Record<string, unknown>, names: string[]): Record<string, unknown> {
  if (names.length === 0) return outputs;
  const out = { ...outputs };
  for (const n of names) if (n in out && out[n] !== undefined && !isSecret(out[n])) out[n] = secret(out[n]);
  return out;
}

/**
 * Preview: the engine knows only the inputs of a resource it has not created yet. Everything the provider would
 * compute (ids, URIs, principal ids) is unknown.
 */
function unknownComputed(inputs: unknown, outputs: unknown): unknown {
  if (isSecret(outputs)) return isSecret(inputs) ? outputs : UNKNOWN;
  if (outputs && typeof outputs === "object" && !Array.isArray(outputs)) {
    const inObj = (inputs && typeof inputs === "object" && !Array.isArray(inputs) ? inputs : {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(outputs)) out[k] = k in inObj ? unknownComputed(inObj[k], v) : UNKNOWN;
    return out;
  }
  return inputs === undefined ? UNKNOWN : outputs;
}
