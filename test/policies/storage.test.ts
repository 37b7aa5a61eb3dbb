import {
  st01HttpsOnly, st02MinimumTls, st03NoBlobPublicAccess, st04NoSharedKey, st05NetworkRestricted,
  st06NoCrossTenantReplication, st07InfrastructureEncryption,
} from "../../policies/storage";
import { ai01EntraOnlyIngestion, ai02WorkspaceBased } from "../../policies/appinsights";
import { T } from "../../policies/lib/types";
import { controlsIn, runResource, UNKNOWN } from "./harness";
import { LAW_ID, storageInputs, TAGS } from "./fixtures";

function st(patch: Record<string, unknown>): Record<string, any> {
  const s = storageInputs();
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete s[k];
    else s[k] = v;
  }
  return s;
}
const runSt = (policy: Parameters<typeof runResource>[0], props: Record<string, any>) => runResource(policy, { type: T.storageAccount, props });

describe("storage baseline passes every ST policy", () => {
  it.each([st01HttpsOnly, st02MinimumTls, st03NoBlobPublicAccess, st04NoSharedKey, st05NetworkRestricted, st06NoCrossTenantReplication, st07InfrastructureEncryption])("%#", async (policy) => {
    expect(await runSt(policy, storageInputs())).toMatchObject({ messages: [], unknown: undefined });
  });
});

describe("storage violations", () => {
  it("ST-01: explicit false fails, missing passes (service default)", async () => {
    expect(controlsIn(await runSt(st01HttpsOnly, st({ enableHttpsTrafficOnly: false })))).toEqual(["ST-01"]);
    expect((await runSt(st01HttpsOnly, st({ enableHttpsTrafficOnly: undefined }))).messages).toEqual([]);
    // ARM's name is not what the SDK sends; it does not count.
    expect(controlsIn(await runSt(st01HttpsOnly, st({ enableHttpsTrafficOnly: false, supportsHttpsTrafficOnly: true })))).toEqual(["ST-01"]);
    expect((await runSt(st01HttpsOnly, st({ enableHttpsTrafficOnly: UNKNOWN.bool }))).unknown).toBeDefined();
  });
  it("ST-02: TLS1_2 / TLS1_3 in any case pass; missing, TLS1_0, TLS1_1 fail", async () => {
    expect((await runSt(st02MinimumTls, st({ minimumTlsVersion: "tls1_3" }))).messages).toEqual([]);
    for (const v of [undefined, "TLS1_0", "TLS1_1"]) expect(controlsIn(await runSt(st02MinimumTls, st({ minimumTlsVersion: v })))).toEqual(["ST-02"]);
    expect((await runSt(st02MinimumTls, st({ minimumTlsVersion: UNKNOWN.string }))).unknown).toBeDefined();
  });
  it("ST-03 / ST-04 / ST-06: missing and true fail", async () => {
    const cases: [Parameters<typeof runResource>[0], string, string][] = [
      [st03NoBlobPublicAccess, "allowBlobPublicAccess", "ST-03"],
      [st04NoSharedKey, "allowSharedKeyAccess", "ST-04"],
      [st06NoCrossTenantReplication, "allowCrossTenantReplication", "ST-06"],
    ];
    for (const [policy, prop, control] of cases) {
      expect(controlsIn(await runSt(policy, st({ [prop]: undefined })))).toEqual([control]);
      expect(controlsIn(await runSt(policy, st({ [prop]: true })))).toEqual([control]);
      expect((await runSt(policy, st({ [prop]: UNKNOWN.bool }))).unknown).toBeDefined();
    }
  });
  it("ST-05: either Disabled or default Deny passes; neither fails", async () => {
    expect((await runSt(st05NetworkRestricted, st({ publicNetworkAccess: "Enabled" }))).messages).toEqual([]);
    expect((await runSt(st05NetworkRestricted, st({ networkRuleSet: undefined, publicNetworkAccess: "disabled" }))).messages).toEqual([]);
    expect(controlsIn(await runSt(st05NetworkRestricted, st({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow" } })))).toEqual(["ST-05"]);
    expect(controlsIn(await runSt(st05NetworkRestricted, st({ publicNetworkAccess: undefined, networkRuleSet: undefined })))).toEqual(["ST-05"]);
    expect((await runSt(st05NetworkRestricted, st({ publicNetworkAccess: UNKNOWN.string }))).unknown).toBeDefined();
  });
  it("ST-07: missing / false infrastructure encryption fails", async () => {
    expect(controlsIn(await runSt(st07InfrastructureEncryption, st({ encryption: undefined })))).toEqual(["ST-07"]);
    expect(controlsIn(await runSt(st07InfrastructureEncryption, st({ encryption: { requireInfrastructureEncryption: false } })))).toEqual(["ST-07"]);
    expect((await runSt(st07InfrastructureEncryption, st({ encryption: { requireInfrastructureEncryption: UNKNOWN.bool } }))).unknown).toBeDefined();
  });
});

describe("application insights", () => {
  const component = (patch: Record<string, unknown>) => ({ type: T.appInsights, props: {
    resourceGroupName: "rg", kind: "web", applicationType: "web", tags: TAGS, disableLocalAuth: true, workspaceResourceId: LAW_ID, ingestionMode: "LogAnalytics", ...patch } });
  it("AI-01: disableLocalAuth must be true", async () => {
    expect((await runResource(ai01EntraOnlyIngestion, component({}))).messages).toEqual([]);
    expect(controlsIn(await runResource(ai01EntraOnlyIngestion, component({ disableLocalAuth: undefined })))).toEqual(["AI-01"]);
    expect(controlsIn(await runResource(ai01EntraOnlyIngestion, component({ disableLocalAuth: false })))).toEqual(["AI-01"]);
    expect((await runResource(ai01EntraOnlyIngestion, component({ disableLocalAuth: UNKNOWN.bool }))).unknown).toBeDefined();
  });
  it("AI-02: workspaceResourceId must be set (an unknown id in preview is not a pass)", async () => {
    expect((await runResource(ai02WorkspaceBased, component({}))).messages).toEqual([]);
    expect(controlsIn(await runResource(ai02WorkspaceBased, component({ workspaceResourceId: undefined })))).toEqual(["AI-02"]);
    expect(controlsIn(await runResource(ai02WorkspaceBased, component({ workspaceResourceId: "" })))).toEqual(["AI-02"]);
    expect((await runResource(ai02WorkspaceBased, component({ workspaceResourceId: UNKNOWN.string }))).unknown).toBeDefined();
  });
});
