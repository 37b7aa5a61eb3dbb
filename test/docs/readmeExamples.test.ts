/**
 * The README's examples are real output: each block marked `<!-- output of: … -->` is what that command prints
 * today, the JSON contract example is a valid report whose concrete values are the shipped dev stack's, and the
 * onboarding example's `pulumi config set` lines are the ones onboard prints for the example command.
 */
import * as fs from "fs";
import * as path from "path";
import { planReportSchema } from "../../report/json";
import { ROOT, runCli, tempDir } from "../cli/runCli";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Fenced blocks: their language, body, and the HTML comment right above them (if any). */
function blocks(markdown: string): { lang: string; body: string; marker?: string }[] {
  const out: { lang: string; body: string; marker?: string }[] = [];
  const re = /(?:<!--\s*([^>]*?)\s*-->\n)?```(\w*)\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(re)) out.push({ marker: m[1], lang: m[2], body: m[3] });
  return out;
}

/** `MLVAULT_NOW=… mlvault plan dev --summary (note)` → its environment and arguments. */
function parseCommand(marker: string): { env: Record<string, string>; args: string[] } {
  const words = marker.replace(/^output of:\s*/, "").replace(/\s*\(.*\)\s*$/, "").split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0])) {
    const [k, v] = words.shift()!.split("=");
    env[k] = v;
  }
  expect(words.shift()).toBe("mlvault");
  return { env, args: words };
}

describe("README examples match real output", () => {
  const outputs = blocks(README).filter((b) => b.marker?.startsWith("output of:"));

  test("there is at least one output example (the test would be empty otherwise)", () => expect(outputs.length).toBeGreaterThan(0));

  test.each(outputs.map((b) => [b.marker!, b] as const))("%s", (marker, block) => {
    const { env, args } = parseCommand(marker);
    const r = runCli(args, env);
    expect(r.status).toBe(0);
    expect(block.body).toBe(r.stdout.replace(/\n$/, ""));
  }, 90_000);

  test("the JSON contract example is a valid report whose values are the shipped dev stack's", () => {
    const example = JSON.parse(blocks(README).find((b) => b.lang === "json" && b.body.includes('"schemaVersion"'))!.body);
    expect(planReportSchema.safeParse(example).success).toBe(true);
    const real = JSON.parse(runCli(["plan", "dev", "--json"]).stdout);
    expect(example.summary).toEqual(real.summary);
    expect(example.tool).toEqual(real.tool);
    expect([example.stack, example.environment, example.schemaVersion]).toEqual([real.stack, real.environment, real.schemaVersion]);
    for (const shown of example.violations) {
      const actual = real.violations.find((v: Record<string, unknown>) => v.policy === shown.policy && v.name === shown.name);
      expect(actual).toBeDefined();
      for (const [key, value] of Object.entries(shown)) {
        if (value === "…") continue;
        // Long strings are shown up to an ellipsis: what is shown must be how the real one begins.
        if (typeof value === "string" && value.includes("…")) {
          for (const piece of value.split("…").filter((p) => p.trim() !== "")) expect(String(actual[key])).toContain(piece.trim());
        } else {
          expect([key, actual[key]]).toEqual([key, value]);
        }
      }
    }
  }, 90_000);

  test("the onboarding example prints exactly the `pulumi config set` lines the README shows", () => {
    const command = /```sh\n(npm exec -- mlvault onboard fraud [\s\S]*?)\n```/.exec(README)![1];
    const args = command.replace(/\\\n\s*/g, " ").match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, "")).slice(4);
    const shownLines = /Onboard prints the commands[\s\S]*?```sh\n([\s\S]*?)\n```/.exec(README)![1].split("\n");
    const dir = tempDir("readme-onboard");
    try {
      for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
      fs.symlinkSync(path.join(ROOT, "policies"), path.join(dir, "policies"));
      const r = runCli([...args, "-C", dir]);
      expect(r.status).toBe(0);
      const printed = r.stdout.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("pulumi config set"));
      expect(printed).toEqual(shownLines);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
