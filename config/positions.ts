import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/**
 * Where things are in a stack file, so a finding points at the line that causes it: a project entry of
 * `mlvault:projects`, one of its secrets, or the `mlvault:platform` block. Lines are 1-based; the file's first line
 * when the thing is not found (a key written in another form).
 */
export interface StackFilePositions {
  project(name: string): number | undefined;
  secret(project: string, secret: string): number | undefined;
  platform(): number | undefined;
  /** The config key a person edits, as validation names it: `projects[1]`, `projects[1].secrets[0].expiresOn`. */
  projectKey(name: string): string | undefined;
  secretKey(project: string, secret: string, field?: string): { key: string; line: number | undefined } | undefined;
}

export function stackFilePositions(text: string): StackFilePositions {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const line = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const config = doc.get("config", true);
  const configMap = isMap(config) ? config : undefined;
  const keyLine = (key: string) => {
    const pair = configMap?.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    return pair && isScalar(pair.key) ? line(pair.key) : undefined;
  };
  const projects = configMap?.get("mlvault:projects", true);
  const entries = isSeq(projects) ? projects.items.filter(isMap) : [];
  const entry = (name: string) => entries.find((p) => p.get("name") === name);
  return {
    project: (name) => line(entry(name)) ?? keyLine("mlvault:projects"),
    secret: (project, secret) => {
      const secrets = entry(project)?.get("secrets", true);
      const found = isSeq(secrets) ? secrets.items.filter(isMap).find((s) => s.get("name") === secret) : undefined;
      return line(found) ?? line(entry(project));
    },
    platform: () => keyLine("mlvault:platform"),
    projectKey: (name) => {
      const i = entries.findIndex((p) => p.get("name") === name);
      return i < 0 ? undefined : `projects[${i}]`;
    },
    secretKey: (project, secret, field) => {
      const i = entries.findIndex((p) => p.get("name") === project);
      const secrets = i < 0 ? undefined : entries[i].get("secrets", true);
      const list = isSeq(secrets) ? secrets.items.filter(isMap) : [];
      const j = list.findIndex((s) => s.get("name") === secret);
      if (j < 0) return undefined;
      const pair = field ? list[j].items.find((p) => isScalar(p.key) && String(p.key.value) === field) : undefined;
      const base = `projects[${i}].secrets[${j}]`;
      return pair && isScalar(pair.key) ? { key: `${base}.${field}`, line: line(pair.key) } : { key: base, line: line(list[j]) };
    },
  };
}
