import { createHash } from "crypto";
import { fakeGuid } from "./ids";
import type { ProviderModel } from "./model";

/** azuread and random: the outputs the program reads (ids, client ids, generated values). */
export const azureadModel: ProviderModel = (r) => {
  if (!r.type.startsWith("azuread:")) return undefined;
  const objectId = fakeGuid(r.urn, "objectId");
  const computed: Record<string, unknown> = { objectId };
  switch (r.type) {
    case "azuread:index/application:Application":
      return { id: `/applications/${objectId}`, outputs: { ...r.inputs, ...computed, clientId: fakeGuid(r.urn, "clientId") } };
    case "azuread:index/servicePrincipal:ServicePrincipal":
      return { id: `/servicePrincipals/${objectId}`, outputs: { ...r.inputs, ...computed } };
    case "azuread:index/applicationPassword:ApplicationPassword":
    case "azuread:index/servicePrincipalPassword:ServicePrincipalPassword": {
      const keyId = fakeGuid(r.urn, "keyId");
      // A stand-in credential: never a real secret, and marked secret by the engine (additionalSecretOutputs).
      return { id: `${r.inputs.applicationId ?? r.inputs.servicePrincipalId}/password/${keyId}`, outputs: { ...r.inputs, keyId, value: `offline-${digest(r.urn)}` } };
    }
    default:
      return { id: fakeGuid(r.urn, "id"), outputs: { ...r.inputs } };
  }
};

export const randomModel: ProviderModel = (r) => {
  if (!r.type.startsWith("random:")) return undefined;
  const length = typeof r.inputs.length === "number" ? r.inputs.length : 16;
  const result = digest(r.urn).repeat(Math.ceil(length / 64) + 1).slice(0, length);
  return { id: "none", outputs: { ...r.inputs, result, bcryptHash: `$2a$10$${digest("bcrypt" + r.urn).slice(0, 53)}` } };
};

function digest(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
