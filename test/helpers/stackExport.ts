/**
 * A `pulumi stack export` (deployment v3) of a stack as `pulumi up` would have left it, made from the offline plan
 * of the same stack file: the shape Pulumi writes (apitype.ResourceV3), secrets encrypted (ciphertext only), and the
 * values only Azure knows made real-looking, so a comparison cannot pass by matching the offline engine's own
 * stand-ins: the fake subscription and tenant become another GUID, and every GUID an input takes from another
 * resource (a principal id, a client id) becomes a different one.
 */
import { createHash } from "crypto";
import { rulesOf } from "../../change/rules";
import { OFFLINE_CLIENT } from "../../engine/providers/ids";
import { optionsOf, type ResourceRecord } from "../../engine/types";
import { isSecret, SECRET_SIG, SPECIAL_SIG } from "../../engine/wire";

export const REAL_SUBSCRIPTION = "6f1d2c3b-8a7e-4d5c-9b0a-1e2f3a4b5c6d";
export const REAL_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A different, stable GUID for one the offline engine made up. */
function realGuid(fake: string): string {
  const h = createHash("sha256").update(`real:${fake}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function realistic(value: unknown, computed: boolean): unknown {
  if (isSecret(value)) {
    // Encrypted by the stack's secrets provider: only the ciphertext is written, never the value.
    return { [SPECIAL_SIG]: SECRET_SIG, ciphertext: `v1:${createHash("sha256").update(JSON.stringify(value.value ?? null)).digest("base64")}` };
  }
  if (typeof value === "string") {
    let s = value.split(OFFLINE_CLIENT.subscriptionId).join(REAL_SUBSCRIPTION).split(OFFLINE_CLIENT.tenantId).join(REAL_TENANT);
    if (computed) s = s.replace(GUID, (g) => (g === REAL_SUBSCRIPTION || g === REAL_TENANT ? g : realGuid(g)));
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => realistic(v, computed));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realistic(v, computed)]));
  return value;
}

export function stackExportOf(records: ResourceRecord[]): Record<string, unknown> {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-14T09:00:00Z", magic: "", version: "v3.210.0" },
      resources: records.map((r) => {
        const options = optionsOf(r);
        const inputs: Record<string, unknown> = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, realistic(v, (r.propertyDependencies[k] ?? []).length > 0)]));
        // azure-native v3's Check adds the API version to the inputs it stores (provider.go applyDefaults).
        const apiVersion = r.custom && r.type.startsWith("azure-native:") ? rulesOf(r.type)?.apiVersion : undefined;
        if (apiVersion) inputs.azureApiVersion = apiVersion;
        // The Terraform bridge (azuread, random, time) stores the schema defaults it filled, named in __defaults.
        if (r.custom && !r.type.startsWith("azure-native:") && !r.type.startsWith("pulumi:")) Object.assign(inputs, { __defaults: ["bridgeDefault"], bridgeDefault: true });
        return {
          urn: r.urn, custom: r.custom, type: r.type, ...(r.id ? { id: realistic(r.id, false) } : {}),
          inputs, outputs: realistic(r.outputs, true),
          ...(r.parent ? { parent: r.parent } : {}),
          ...(r.protect ? { protect: true } : {}),
          ...(options.retainOnDelete ? { retainOnDelete: true } : {}),
          ...(options.ignoreChanges.length ? { ignoreChanges: options.ignoreChanges } : {}),
          ...(options.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
          dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
          ...(r.provider ? { provider: r.provider } : {}),
        };
      }),
    },
  };
}
