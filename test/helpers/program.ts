import * as path from "path";
import { encodeConfigMap } from "../../config/fromPulumi";
import { readStackFile } from "../../config/stackFile";
import { runProgram, type ProgramResult } from "../../engine/runProgram";
import type { ResourceRecord } from "../../engine/types";

export const ROOT = path.resolve(__dirname, "../..");
/** Pinned clock: rotation windows and expiry checks are reproducible. */
export const NOW = "2026-12-15T12:00:00Z";

export interface RunOptions {
  preview?: boolean;
  applyAdditionalSecretOutputs?: boolean;
  now?: string;
}

/** Runs the real program for a shipped stack (Pulumi.<stack>.yaml) under the offline engine. */
export async function runStack(stack: string, opts: RunOptions = {}): Promise<ProgramResult> {
  const file = readStackFile(ROOT, stack);
  return runConfig(file.config, { stack, secretKeys: file.secretKeys, ...opts });
}

/** Runs the real program for an in-memory config (fully qualified keys, parsed values). */
export async function runConfig(
  config: Record<string, unknown>,
  opts: RunOptions & { stack?: string; secretKeys?: string[] } = {},
): Promise<ProgramResult> {
  const previous = process.env.MLVAULT_NOW;
  process.env.MLVAULT_NOW = opts.now ?? NOW;
  try {
    return await runProgram({
      programDir: ROOT,
      project: "mlvault",
      stack: opts.stack ?? "test",
      config: encodeConfigMap(config),
      secretKeys: opts.secretKeys ?? ["mlvault:secretValues"],
      preview: opts.preview === true,
      applyAdditionalSecretOutputs: opts.applyAdditionalSecretOutputs,
    });
  } finally {
    if (previous === undefined) delete process.env.MLVAULT_NOW;
    else process.env.MLVAULT_NOW = previous;
  }
}

export function ofType(records: ResourceRecord[], type: string): ResourceRecord[] {
  return records.filter((r) => r.type === type);
}

export function one(records: ResourceRecord[], type: string, name?: string): ResourceRecord {
  const found = ofType(records, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  return found[0];
}

export function props(r: ResourceRecord): Record<string, any> {
  return r.inputs.properties as Record<string, any>;
}

/** The project (MlProject component name) a record belongs to, from its URN's parent chain. */
export function inProject(records: ResourceRecord[], project: string): ResourceRecord[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  return records.filter((r) => {
    for (let p: ResourceRecord | undefined = r; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
      if (p.type === "mlvault:index:MlProject" && p.name === project) return true;
    }
    return false;
  });
}
