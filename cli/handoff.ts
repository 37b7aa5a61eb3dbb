import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { Principal, ProjectConfig } from "../config/schema";
import { PROJECT_NAME, messages } from "../config/rules";
import { tooDeep, tooDeepMessage } from "../engine/depth";
import { jsonErrorPosition } from "../engine/json";
import { isUnknown } from "../engine/wire";
import { renderHandoff, type Fact, type HandoffSheet, type SheetAccess } from "../report/handoff";
import { EXIT, UsageError } from "./errors";
import { outputsDrift, undeployedProjects } from "./handoffDrift";
import { writeInside } from "./output";
import { loadStack, planStack, type LoadedStack } from "./planRun";

export interface HandoffOptions {
  /** Project folder (holds Pulumi.yaml and the stack file). */
  cwd: string;
  /** `pulumi stack output --json` of the deployed stack; without it, the offline plan. */
  outputs?: string;
  /** Only this project. */
  project?: string;
  /** Folder for the sheets; default `handoff/<stack>` in the project folder. */
  out?: string;
}

/**
 * The stack outputs index.ts exports (never a secret value). Unknown keys are dropped, not copied: whatever else a
 * hand-edited or future outputs file holds never reaches a sheet.
 */
const secretOutput = z.object({
  uri: z.string(),
  version: z.string().optional(),
  contentType: z.string(),
  expiresOn: z.string(),
  source: z.string(),
});
const projectOutput = z.object({
  resourceGroup: z.string(),
  vaultName: z.string(),
  vaultUri: z.string(),
  secrets: z.record(z.string(), secretOutput).default({}),
  workspaceName: z.string(),
  servicePrincipalClientId: z.string(),
  workloadIdentityClientId: z.string(),
  tenantId: z.string(),
});
const stackOutputs = z.object({
  environment: z.string().optional(),
  tenantId: z.string().optional(),
  // A project name becomes a file name: only real project names (no "/", "..", or absolute paths) are accepted.
  projects: z.record(z.string(), projectOutput).superRefine((projects, ctx) => {
    for (const name of Object.keys(projects)) {
      if (!PROJECT_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: `not a project name: project names ${messages.projectName}` });
    }
  }),
});
type StackOutputs = z.infer<typeof stackOutputs>;
type ProjectOutput = z.infer<typeof projectOutput>;

/**
 * `mlvault handoff <stack>`: one Markdown sheet per project for its ML developers. With `--outputs`, the values of the
 * deployed stack; without, the offline plan, where every value only a deployment knows (vault name and URL, client
 * ids, tenant, secret versions) is marked as such. Exit 0, or 2 on invalid input or an unknown project.
 */
export async function handoff(stack: string, opts: HandoffOptions): Promise<number> {
  const loaded = loadStack(opts.cwd, stack);
  const fromOutputs = opts.outputs !== undefined;
  const configured = new Map(loaded.config.projects.map((p) => [p.name, p]));

  if (!fromOutputs && opts.project !== undefined && !configured.has(opts.project)) {
    throw unknownProject(opts.project, [...configured.keys()], `Pulumi.${stack}.yaml`);
  }
  const outputs = fromOutputs ? readOutputsFile(opts.outputs!) : await plannedOutputs(loaded);
  if (fromOutputs && outputs.environment !== undefined && outputs.environment !== loaded.config.environment) {
    throw new UsageError([`error: ${opts.outputs}: outputs of a '${outputs.environment}' stack, but Pulumi.${stack}.yaml is '${loaded.config.environment}'`]);
  }
  const names = Object.keys(outputs.projects);
  if (opts.project !== undefined && !names.includes(opts.project)) throw unknownProject(opts.project, names, opts.outputs!);

  const outDir = path.resolve(opts.out ?? path.join(loaded.dir, "handoff", stack));
  for (const name of opts.project !== undefined ? [opts.project] : names) {
    const sheet = buildSheet(loaded, name, outputs.projects[name], configured.get(name), fromOutputs ? { kind: "outputs", file: path.basename(opts.outputs!) } : { kind: "plan" });
    const file = writeInside(outDir, `${name}.md`, renderHandoff(sheet));
    const shown = path.relative(process.cwd(), file);
    process.stdout.write(`wrote ${shown.startsWith("..") ? file : shown}\n`);
    if (!sheet.access) process.stderr.write(`warning: Pulumi.${stack}.yaml has no project '${name}': its sheet lists no roles\n`);
    const config = configured.get(name);
    if (fromOutputs && config) warn(outputsDrift(name, config, outputs.projects[name], `Pulumi.${stack}.yaml`, path.basename(opts.outputs!)));
  }
  if (fromOutputs && opts.project === undefined) warn(undeployedProjects([...configured.keys()], names, `Pulumi.${stack}.yaml`, path.basename(opts.outputs!)));
  return EXIT.ok;
}

/** Disagreements are warnings: the sheet still describes what is deployed, and the user decides whether to deploy first. */
function warn(lines: string[]): void {
  for (const line of lines) process.stderr.write(`warning: ${line} (deploy the stack file, or export the outputs again)\n`);
}

function unknownProject(name: string, known: string[], where: string): UsageError {
  return new UsageError([`error: unknown project '${name}' (${where} has: ${known.length ? known.join(", ") : "no projects"})`]);
}

function readOutputsFile(file: string): StackOutputs {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError([`error: ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "read error"})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // Only the position: JSON.parse's own message quotes the file, which may hold a secret (--show-secrets).
    throw new UsageError([`error: ${file}: not valid JSON${jsonErrorPosition(text, e)}; expected the output of \`pulumi stack output --json\``]);
  }
  const deep = tooDeep(raw);
  if (deep) throw new UsageError([`error: ${file}: ${tooDeepMessage(deep)}`]);
  const parsed = stackOutputs.safeParse(raw);
  if (!parsed.success) {
    // Zod's messages name the expected type, never the value found.
    throw new UsageError(parsed.error.issues.map((i) => `error: ${file}: ${i.path.map(String).join(".") || "(top level)"}: ${i.message}`));
  }
  return parsed.data;
}

/**
 * The stack outputs of the offline plan, with every value only a deployment knows replaced by `null` ("known after
 * `pulumi up`"): the offline engine's stand-ins (fake subscription hash, fake client ids) must never look real.
 */
async function plannedOutputs(loaded: LoadedStack): Promise<PlannedOutputs> {
  const { stackOutputs: raw } = await planStack(loaded, { preview: false });
  const parsed = stackOutputs.safeParse(raw);
  if (!parsed.success) throw new Error(`the program's stack outputs do not have the documented shape (${parsed.error.issues[0]?.message})`);
  const projects: PlannedOutputs["projects"] = {};
  for (const [name, p] of Object.entries(parsed.data.projects)) {
    projects[name] = {
      resourceGroup: known(p.resourceGroup),
      workspaceName: known(p.workspaceName),
      vaultName: null,
      vaultUri: null,
      servicePrincipalClientId: null,
      workloadIdentityClientId: null,
      tenantId: null,
      secrets: Object.fromEntries(Object.entries(p.secrets).map(([s, x]) => [s, { ...x, uri: null, version: null }])),
    };
  }
  return { environment: parsed.data.environment, projects };
}

/** Names mlvault derives from config alone (resource group, workspace) are real offline; unknowns never are. */
function known(v: string): Fact {
  return isUnknown(v) ? null : v;
}

type Factual<T> = { [K in keyof T]: T[K] extends string ? Fact : T[K] };
interface PlannedOutputs {
  environment?: string;
  projects: Record<string, Omit<Factual<ProjectOutput>, "secrets"> & { secrets: Record<string, Omit<ProjectOutput["secrets"][string], "uri" | "version"> & { uri: Fact; version?: Fact }> }>;
}

function buildSheet(loaded: LoadedStack, name: string, p: PlannedOutputs["projects"][string], config: ProjectConfig | undefined, origin: HandoffSheet["origin"]): HandoffSheet {
  return {
    stack: loaded.stack,
    environment: loaded.config.environment,
    origin,
    project: name,
    resourceGroup: p.resourceGroup,
    vaultName: p.vaultName,
    vaultUri: p.vaultUri,
    workspaceName: p.workspaceName,
    servicePrincipalClientId: p.servicePrincipalClientId,
    workloadIdentityClientId: p.workloadIdentityClientId,
    tenantId: p.tenantId,
    secrets: Object.entries(p.secrets).map(([secretName, x]) => ({
      name: secretName,
      contentType: x.contentType,
      expiresOn: x.expiresOn,
      source: x.source,
      uri: x.uri,
      // An empty version: the provider did not return one; say so rather than print nothing.
      version: x.version === "" ? undefined : x.version,
    })),
    access: config ? accessOf(config, loaded.config.platform.vaultAccessModel) : undefined,
  };
}

function accessOf(p: ProjectConfig, accessModel: SheetAccess["accessModel"]): SheetAccess {
  // A bare object id is a group, as the program grants it (components/mlProject.ts).
  const principal = (x: Principal) => (typeof x === "string" ? { objectId: x.toLowerCase(), type: "Group" as const } : { objectId: x.objectId.toLowerCase(), type: x.type });
  return {
    accessModel,
    readers: p.readers.map(principal),
    operators: p.operators.map(principal),
    customerManagedKey: p.encryption === "customerManaged",
    passwordLifetimeDays: p.servicePrincipal.passwordLifetimeDays,
    federatedCredentials: p.servicePrincipal.federatedCredentials.map((f) => ({ name: f.name, issuer: f.issuer, subject: f.subject })),
  };
}
