/**
 * The protobuf messages the engine exchanges with a policy pack, built and read as pulumi/pulumi 3.x does
 * (pkg/resource/plugin/analyzer_plugin.go): one AnalyzeRequest per resource with its inputs and options, one
 * AnalyzerResource per resource for AnalyzeStack with its outputs, and the pack's PolicyInfo read back.
 */
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ConfiguredLevel, PolicySchemaInfo } from "./analyzerConfig";
import type { PolicyInfo } from "./analyzerTypes";
import { toAnalyzerProperties } from "./analyzerWire";
import { optionsOf, type ResourceRecord } from "./types";

const CONTROL_ID = /^[A-Z]+-\d{2}$/;

export const LEVEL_FROM_PROTO: Record<number, ConfiguredLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
};
export const LEVEL_TO_PROTO: Record<ConfiguredLevel, analyzerPb.EnforcementLevel> = {
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

export function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
}

export function describePolicy(p: analyzerPb.PolicyInfo): { info: PolicyInfo; schema: PolicySchemaInfo } {
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
export function providerOf(r: ResourceRecord, byUrn: Map<string, ResourceRecord>): analyzerPb.AnalyzerProviderResource | undefined {
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

/**
 * The engine's marshalResourceOptions: protect, ignoreChanges, deleteBeforeReplace (defined only when set),
 * additionalSecretOutputs, aliases, custom timeouts and parent. (An explicit `deleteBeforeReplace: false` is sent as
 * not defined: the record keeps the value, not whether it was written.)
 */
function resourceOptions(r: ResourceRecord): analyzerPb.AnalyzerResourceOptions {
  const recorded = optionsOf(r);
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(r.protect);
  opts.setIgnorechangesList(recorded.ignoreChanges);
  opts.setDeletebeforereplace(recorded.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(recorded.deleteBeforeReplace);
  opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
  opts.setAliasesList([]);
  opts.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

export function analyzeRequest(
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

export function stackResource(r: ResourceRecord, provider: analyzerPb.AnalyzerProviderResource | undefined): analyzerPb.AnalyzerResource {
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
