/**
 * Synthetic stacks for the benchmark: N projects shaped like the shipped dev/prod ones (readers and operators as
 * bare group ids and typed User/Group principals, federated credentials, a config, a generated and an external
 * secret), written as Pulumi.<stack>.yaml into a temp project folder of symlinks to this repository — the layout a
 * user's repository has, so `mlvault plan` runs exactly as it would there.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";

export const ROOT = path.resolve(__dirname, "..");
const PROGRAM_ENTRIES = ["Pulumi.yaml", "index.ts", "components", "config", "engine", "policies", "bin", "cli", "report", "package.json", "node_modules"];

/** Deterministic GUID-shaped ids: same index, same id, distinct across projects and personas. */
function guid(kind: number, i: number): string {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, "0").slice(-w);
  return `${hex(kind, 8)}-${hex(i, 4)}-4${hex(i * 7 + kind, 3)}-a${hex(i * 13, 3)}-${hex(i * 104729 + kind, 12)}`;
}

/** A valid project name (`^[a-z][a-z0-9]{1,11}$`), unique per index. */
export function projectName(i: number): string {
  return `p${i.toString().padStart(4, "0")}`;
}

export function syntheticProject(i: number, environment: "dev" | "prod"): Record<string, unknown> {
  const name = projectName(i);
  return {
    name,
    description: `Synthetic project ${i}`,
    readers: [guid(1, i), { objectId: guid(2, i), type: "User" }],
    operators: [{ objectId: guid(3, i), type: "Group" }],
    servicePrincipal: {
      // prod signs in only through OIDC, as in Pulumi.prod.yaml
      passwordLifetimeDays: environment === "prod" ? 0 : 90,
      federatedCredentials: [
        { name: "github-main", issuer: "https://token.actions.githubusercontent.com", subject: `repo:contoso/${name}:ref:refs/heads/main` },
      ],
    },
    secrets: [
      { name: "sql-password", contentType: "password", source: "config", expiresOn: "2027-03-31", activatesOn: "2026-12-01" },
      { name: "feature-token", contentType: "token", source: "generate", length: 48, expiresOn: "2027-01-31" },
      { name: "partner-api-key", contentType: "api-key", source: "external", expiresOn: "2027-06-30" },
    ],
  };
}

/** The platform block of the shipped stack of that environment (prod: private endpoints, dns zones). */
function shippedPlatform(environment: "dev" | "prod"): Record<string, unknown> {
  const { parse } = require("yaml") as typeof import("yaml");
  const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${environment}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return doc.config;
}

/** The Pulumi.<stack>.yaml document for `count` projects. */
export function syntheticStackYaml(count: number, environment: "dev" | "prod"): string {
  const shipped = shippedPlatform(environment);
  const projects = Array.from({ length: count }, (_, i) => syntheticProject(i, environment));
  const secretValues = Object.fromEntries(projects.map((p) => [`${p.name}/sql-password`, { secure: "v1:synthetic-placeholder" }]));
  const config = {
    "azure-native:location": shipped["azure-native:location"],
    "mlvault:environment": environment,
    "mlvault:platform": shipped["mlvault:platform"],
    "mlvault:projects": projects,
    "mlvault:secretValues": secretValues,
  };
  return `# Synthetic ${environment} stack of ${count} projects (mlvault bench)\n` + stringify({ config });
}

/** A temp project folder of symlinks to the repository plus Pulumi.<stack>.yaml for each requested stack. */
export function syntheticProjectDir(stacks: Record<string, { count: number; environment: "dev" | "prod" }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlvault-bench-"));
  for (const entry of PROGRAM_ENTRIES) fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  for (const [stack, s] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), syntheticStackYaml(s.count, s.environment));
  return dir;
}
