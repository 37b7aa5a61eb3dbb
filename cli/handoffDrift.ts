import type { ProjectConfig } from "../config/schema";

/** What a deployed project's outputs say about its secrets (the fields the comparison needs). */
export interface DeployedSecrets {
  secrets: Record<string, { contentType: string; expiresOn: string; source: string }>;
}

/** The service principal's rotating password: in the outputs, never in the stack file's secret list. */
const SERVICE_PRINCIPAL_SOURCE = "service-principal";
const SECRET_FIELDS = ["contentType", "expiresOn", "source"] as const;

/**
 * Where a project's deployed outputs and its stack file disagree. A sheet is built from the outputs (what exists),
 * but a difference usually means the config changed since the last `pulumi up` (or the outputs file is old), and
 * developers would be told about secrets that are about to appear, change or go away. One line per difference,
 * names and metadata only (neither side holds a value).
 */
export function outputsDrift(project: string, config: ProjectConfig, deployed: DeployedSecrets, stackFile: string, outputsFile: string): string[] {
  const out: string[] = [];
  const where = `project '${project}'`;
  const live = config.secrets.filter((s) => !s.retired);
  const deployedNames = new Set(Object.keys(deployed.secrets));
  for (const s of live) {
    const d = deployed.secrets[s.name];
    if (!d) {
      out.push(`${where}: secret '${s.name}' is in ${stackFile} but not in ${outputsFile}`);
      continue;
    }
    for (const field of SECRET_FIELDS) {
      if (String(s[field]) !== d[field]) {
        out.push(`${where}: secret '${s.name}' ${field} is ${s[field]} in ${stackFile} but ${d[field]} in ${outputsFile}`);
      }
    }
  }
  const configured = new Set(live.map((s) => s.name));
  for (const name of deployedNames) {
    if (configured.has(name) || deployed.secrets[name].source === SERVICE_PRINCIPAL_SOURCE) continue;
    const retired = config.secrets.some((s) => s.name === name && s.retired);
    out.push(`${where}: secret '${name}' is in ${outputsFile} but ${retired ? "retired" : "not"} in ${stackFile}`);
  }
  const hasPassword = Object.values(deployed.secrets).some((d) => d.source === SERVICE_PRINCIPAL_SOURCE);
  const wantsPassword = config.servicePrincipal.passwordLifetimeDays > 0;
  if (hasPassword !== wantsPassword) {
    out.push(
      wantsPassword
        ? `${where}: ${stackFile} gives the service principal a password (passwordLifetimeDays ${config.servicePrincipal.passwordLifetimeDays}) but ${outputsFile} has none`
        : `${where}: ${outputsFile} has a service principal password but ${stackFile} sets passwordLifetimeDays 0`,
    );
  }
  return out;
}

/** Projects the stack file configures that the outputs do not have: they get no sheet. */
export function undeployedProjects(configured: string[], deployed: string[], stackFile: string, outputsFile: string): string[] {
  return configured.filter((p) => !deployed.includes(p)).map((p) => `project '${p}' is in ${stackFile} but not in ${outputsFile}: no sheet written`);
}
