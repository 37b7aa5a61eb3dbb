/**
 * Day-2 changes and teardown, as `pulumi up` / `pulumi destroy` would carry them out (model: lifecycle.ts). Each test
 * plans the stack before and after a config change with the real program and checks what Azure would be asked.
 *
 * Sources: pulumi/pulumi-azure-native custom_keyvault.go (secret and key deletes go through the Key Vault data plane);
 * Key Vault soft-delete-overview and ML concept-soft-delete (names stay reserved after a delete); the deploying
 * identity's roles in docs/deploying.md (no data-plane role, no network path into a prod vault).
 * Assumption, not exercisable here: a data-plane delete by the deploying identity fails with 403 (no role) or is
 * refused by the prod vault's firewall; everything else is ARM or Microsoft Graph and succeeds with its roles.
 */
import { readStackFile } from "../../config/stackFile";
import type { ResourceRecord } from "../../engine/types";
import { optionsOf } from "../../engine/types";
import { maximalConfig } from "../fixtures/maximal";
import { ROOT, inProject, runConfig } from "../helpers/program";
import { blockedByReservedNames, createOnlyChanges, deletions, reservedNames, unprotected, type Deletion } from "./lifecycle";

type Config = Record<string, any>;

function stackConfig(stack: string): Config {
  return JSON.parse(JSON.stringify(readStackFile(ROOT, stack).config));
}

async function plan(config: Config, stack: string): Promise<ResourceRecord[]> {
  return (await runConfig(config, { stack })).records;
}

async function planEdited(stack: string, edit: (c: Config) => void, base: () => Config = () => stackConfig(stack)): Promise<ResourceRecord[]> {
  const c = base();
  edit(c);
  return plan(c, stack);
}

const churn = (c: Config) => c["mlvault:projects"][0];
const summary = (ds: Deletion[]) => ds.map((d) => `${d.resource.type.split(":").pop()} ${d.resource.name}: ${d.path}`).sort();
const viaDataPlane = (ds: Deletion[]) => ds.filter((d) => d.path === "Key Vault data plane");

let dev: ResourceRecord[];
let prod: ResourceRecord[];
beforeAll(async () => {
  dev = await plan(stackConfig("dev"), "dev");
  prod = await plan(stackConfig("prod"), "prod");
}, 60_000);

describe("pulumi destroy", () => {
  test("dev: every secret is forgotten, never deleted through the data plane; the rest goes through ARM, Graph or locally", () => {
    const ds = deletions(dev, []);
    expect(viaDataPlane(ds)).toEqual([]);
    const secrets = ds.filter((d) => d.resource.type === "azure-native:keyvault:Secret");
    expect(secrets.length).toBe(4); // three configured secrets and sp-client-secret
    for (const s of secrets) expect(s.path).toBe("forgotten (retainOnDelete)");
    expect(new Set(ds.map((d) => d.path))).toEqual(new Set(["forgotten (retainOnDelete)", "ARM", "Microsoft Graph", "local"]));
  });

  test("prod: Pulumi refuses until the vault and Log Analytics are unprotected; then nothing touches the data plane", () => {
    const refused = deletions(prod, []).filter((d) => d.path === "refused (protected)").map((d) => d.resource.type).sort();
    expect(refused).toEqual(["azure-native:keyvault:Vault", "azure-native:operationalinsights:Workspace"]);
    const ds = deletions(unprotected(prod), []);
    expect(viaDataPlane(ds)).toEqual([]);
    expect(ds.filter((d) => d.path.startsWith("refused"))).toEqual([]);
  });

  test("with the opt-in vault lock: the lock goes first, so nothing at the vault's scope is refused", async () => {
    const locked = await plan(maximalConfig() as Config, "prod");
    const ds = deletions(unprotected(locked), []);
    expect(ds.filter((d) => d.path.startsWith("refused"))).toEqual([]);
    expect(ds.some((d) => d.resource.type === "azure-native:authorization:ManagementLockByScope")).toBe(true);
  });
});

describe("changes to people", () => {
  const removeReader = (c: Config) => (c["mlvault:projects"][0].readers = []);

  test("removing a reader deletes one role assignment through ARM", async () => {
    const after = await planEdited("prod", removeReader);
    expect(summary(deletions(prod, after))).toEqual([expect.stringMatching(/^RoleAssignment churn-access-read-reader-7c1f3e0a.*: ARM$/)]);
  });

  test("with the opt-in vault lock, the same change is refused until the lock is lifted (documented trade-off)", async () => {
    const base = () => maximalConfig() as Config;
    const before = await plan(base(), "prod");
    const after = await planEdited("prod", removeReader, base);
    const refused = deletions(before, after).filter((d) => d.path === "refused (scope locked)");
    expect(refused.map((d) => d.resource.type)).toEqual(["azure-native:authorization:RoleAssignment", "azure-native:authorization:RoleAssignment"]);
  });
});

describe("changes to secrets", () => {
  test("removing a secret forgets it: one deletion, no data-plane call", async () => {
    const after = await planEdited("dev", (c) => (churn(c).secrets = churn(c).secrets.filter((s: any) => s.name !== "partner-api-key")));
    expect(summary(deletions(dev, after))).toEqual(["Secret churn-secrets-partner-api-key: forgotten (retainOnDelete)"]);
  });

  test("renaming a secret forgets the old one (and its generator) and creates the new one", async () => {
    const after = await planEdited("dev", (c) => (churn(c).secrets.find((s: any) => s.name === "feature-token").name = "feature-token-v2"));
    expect(summary(deletions(dev, after))).toEqual([
      "RandomPassword churn-secrets-feature-token-generated: local",
      "Secret churn-secrets-feature-token: forgotten (retainOnDelete)",
    ]);
    expect(after.some((r) => r.type === "azure-native:keyvault:Secret" && r.inputs.secretName === "feature-token-v2")).toBe(true);
  });

  test("retiring a secret disables it through ARM, keeps its value and tags it; removing it afterwards forgets it", async () => {
    const retired = await planEdited("dev", (c) => {
      churn(c).secrets.find((s: any) => s.name === "sql-password").retired = true;
      delete c["mlvault:secretValues"]; // a retired config secret needs no value any more
    });
    expect(deletions(dev, retired)).toEqual([]);
    const secret = retired.find((r) => r.type === "azure-native:keyvault:Secret" && r.inputs.secretName === "sql-password")!;
    const p = secret.inputs.properties as any;
    expect(p.attributes.enabled).toBe(false);
    expect(optionsOf(secret).ignoreChanges).toEqual(["properties.value"]);
    expect((secret.inputs.tags as any).lifecycle).toBe("retired");
    const removed = await planEdited("dev", (c) => {
      churn(c).secrets = churn(c).secrets.filter((s: any) => s.name !== "sql-password");
      delete c["mlvault:secretValues"];
    });
    expect(summary(deletions(retired, removed))).toEqual(["Secret churn-secrets-sql-password: forgotten (retainOnDelete)"]);
  });

  test("passwordLifetimeDays 90 -> 0: the passwords are revoked through Graph, sp-client-secret is forgotten", async () => {
    const after = await planEdited("dev", (c) => (churn(c).servicePrincipal.passwordLifetimeDays = 0));
    expect(summary(deletions(dev, after))).toEqual([
      "ApplicationPassword churn-identity-password-a: Microsoft Graph",
      "ApplicationPassword churn-identity-password-b: Microsoft Graph",
      "Secret churn-identity-client-secret: forgotten (retainOnDelete)",
    ]);
  });
});

describe("leaving customer-managed keys", () => {
  const maximalDev = () => maximalConfig({ "mlvault:environment": "dev" }) as Config;
  const fraud = (c: Config) => c["mlvault:projects"][0];

  test("the key is forgotten, never deleted through the data plane", async () => {
    const before = await plan(maximalDev(), "dev");
    const after = await planEdited("dev", (c) => (fraud(c).encryption = "platformManaged"), maximalDev);
    const ds = deletions(before, after);
    expect(viaDataPlane(ds)).toEqual([]);
    expect(summary(ds).filter((s) => s.startsWith("Key "))).toEqual(["Key fraudscoring-cmk-key: forgotten (retainOnDelete)"]);
  });

  test("in place, the workspace's encryption would change, which Azure refuses; a new generation replaces it instead", async () => {
    const before = await plan(maximalDev(), "dev");
    const inPlace = await planEdited("dev", (c) => (fraud(c).encryption = "platformManaged"), maximalDev);
    expect(createOnlyChanges(before, inPlace).map((c) => `${c.resource.name} ${c.path}`)).toEqual(["fraudscoring-ml-workspace encryption.status"]);

    const renewed = await planEdited("dev", (c) => {
      fraud(c).encryption = "platformManaged";
      fraud(c).generation = 2;
    }, maximalDev);
    expect(createOnlyChanges(before, renewed)).toEqual([]);
    const ds = deletions(before, renewed);
    expect(viaDataPlane(ds)).toEqual([]);
    expect(ds.filter((d) => d.replaced).map((d) => d.resource.type)).toEqual(expect.arrayContaining([
      "azure-native:keyvault:Vault", "azure-native:machinelearningservices:Workspace",
    ]));
    expect(ds.filter((d) => d.path === "refused (protected)")).toEqual([]);
  });
});

describe("re-creating after a destroy", () => {
  test("the same names are still held by soft delete: the vault and workspace creates would fail", async () => {
    const reserved = reservedNames(deletions(dev, []));
    expect(blockedByReservedNames(dev, reserved).map((r) => r.type).sort()).toEqual([
      "azure-native:keyvault:Vault", "azure-native:machinelearningservices:Workspace",
    ]);
  });

  test("generation 2 builds the vault and workspace under new names; nothing is blocked", async () => {
    const reserved = reservedNames(deletions(dev, []));
    const next = await planEdited("dev", (c) => (churn(c).generation = 2));
    expect(blockedByReservedNames(next, reserved)).toEqual([]);
    const vaultName = (rs: ResourceRecord[]) => rs.find((r) => r.type === "azure-native:keyvault:Vault")!.inputs.vaultName as string;
    expect(vaultName(next)).not.toBe(vaultName(dev));
    expect(vaultName(next)).toMatch(/^kv-churn-d-[a-z0-9]{5}$/);
    expect(next.find((r) => r.type === "azure-native:machinelearningservices:Workspace")!.inputs.workspaceName).toBe("mlw-churn-dev-g2");
  });

  test("a new generation renames the grants on the renewed vault and workspace, not those on unchanged scopes", async () => {
    const next = await planEdited("dev", (c) => (churn(c).generation = 2));
    const names = (rs: ResourceRecord[]) => new Map(inProject(rs, "churn").filter((r) => r.type === "azure-native:authorization:RoleAssignment").map((r) => [r.name, r.inputs.roleAssignmentName]));
    const [before, after] = [names(dev), names(next)];
    for (const [logical, guid] of after) {
      const scopeRenewed = /-access-|workload-data-scientist/.test(logical);
      // Role assignment names are tenant-unique: the old assignment still exists while the new one is created.
      expect([logical, guid === before.get(logical)]).toEqual([logical, !scopeRenewed]);
    }
  });
});
