/**
 * The entry the Pulumi CLI starts (Pulumi.yaml `main`): the transpile-only hook, then index.ts, with the CLI's own
 * TypeScript handling off (`typescript: false`), so a preview or an up does not type-check the program on every run
 * (the cost is measured by `npm run bench`, "Program load under the Pulumi CLI"; `npm test` type-checks).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");

test("Pulumi.yaml runs bin/program.js with the CLI's TypeScript handling off", () => {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
  expect(project.main).toBe("bin/program.js");
  expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false } });
});

test("bin/program.js loads the real program in a fresh Node process, with no ts-node (no type-checking)", () => {
  const r = spawnSync(process.execPath, ["-e", `
    const program = require("./bin/program.js");
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ type: typeof program, index: loaded.some((f) => f.endsWith("/index.ts")), tsNode: loaded.some((f) => /ts-node/.test(f)) }));
  `], { cwd: ROOT, encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout.trim())).toEqual({ type: "function", index: true, tsNode: false });
});
