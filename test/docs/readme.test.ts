import * as fs from "fs";
import * as path from "path";

/**
 * The README says up front which controls dev relaxes. That list is hand-written for people, so this test holds it
 * to the policy configs it describes: a control relaxed in dev.json but missing from the README (or listed but no
 * longer relaxed) fails here.
 */
const ROOT = path.resolve(__dirname, "../..");
type PolicyConfig = Record<string, string | Record<string, unknown>>;
const readConfig = (env: string): PolicyConfig => JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${env}.json`), "utf8"));

function levelOf(config: PolicyConfig, policy: string): string {
  const entry = config[policy];
  if (typeof entry === "string") return entry;
  if (entry && typeof entry.enforcementLevel === "string") return entry.enforcementLevel;
  return String(config.all ?? "advisory");
}

function settingsOf(config: PolicyConfig, policy: string): string {
  const entry = config[policy];
  if (!entry || typeof entry === "string") return "{}";
  const { enforcementLevel: _level, ...settings } = entry;
  return JSON.stringify(settings);
}

const controlOf = (policy: string): string => /^([a-z]+-\d+)/.exec(policy)![1].toUpperCase();

/** The relaxations the two configs actually make, grouped as the README groups them. */
export function relaxations(dev: PolicyConfig, prod: PolicyConfig): Record<"advisory" | "off" | "looser", string[]> {
  const out = { advisory: [] as string[], off: [] as string[], looser: [] as string[] };
  const policies = new Set([...Object.keys(dev), ...Object.keys(prod)].filter((k) => k !== "all"));
  for (const policy of policies) {
    const [devLevel, prodLevel] = [levelOf(dev, policy), levelOf(prod, policy)];
    if (devLevel === "advisory" && prodLevel === "mandatory") out.advisory.push(controlOf(policy));
    else if (devLevel === "disabled" && prodLevel !== "disabled") out.off.push(controlOf(policy));
    else if (settingsOf(dev, policy) !== settingsOf(prod, policy)) out.looser.push(controlOf(policy));
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** The control ids each README bullet lists (an id after "without" is a detail, not a listed control). */
function readmeSection(): Record<"advisory" | "off" | "looser", string[]> {
  const text = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = /<!-- dev-relaxes[^>]*-->([\s\S]*?)<!-- \/dev-relaxes -->/.exec(text);
  if (!section) throw new Error("README.md has no dev-relaxes section");
  const bullets = section[1].split(/\n- /).map((b) => b.replace(/\s+/g, " ").trim()).filter(Boolean);
  const ids = (prefix: string): string[] => {
    const bullet = bullets.find((b) => b.replace(/^- /, "").startsWith(prefix));
    if (!bullet) throw new Error(`README.md dev-relaxes has no "${prefix}" bullet`);
    return [...bullet.matchAll(/(?:: |, |and )([A-Z]+-\d\d)\b/g)].map((m) => m[1]).sort();
  };
  return { advisory: ids("advisory in dev"), off: ids("off in dev"), looser: ids("looser settings in dev") };
}

describe("README: what dev relaxes", () => {
  it("lists exactly the controls dev.json relaxes against prod.json", () => {
    expect(readmeSection()).toEqual(relaxations(readConfig("dev"), readConfig("prod")));
  });

  it("notices a relaxation the README does not list", () => {
    const dev = { ...readConfig("dev"), "sec-02-secret-max-validity": { maxValidityDays: 730 } };
    expect(relaxations(dev, readConfig("prod")).looser).toContain("SEC-02");
    expect(readmeSection().looser).not.toContain("SEC-02");
  });
});

describe("every `pulumi config set` a person copies names its stack", () => {
  // Without --stack the command writes to whichever stack is selected: a prod secret can land in dev's file.
  const sources = ["README.md", "docs", "cli", "config", "report"];
  const files = sources.flatMap((s) => {
    const full = path.join(ROOT, s);
    if (fs.statSync(full).isFile()) return [s];
    return fs.readdirSync(full, { recursive: true, encoding: "utf8" }).filter((f) => /\.(?:md|ts)$/.test(f)).map((f) => path.join(s, f));
  });

  it("in the README, docs and every message the CLI prints", () => {
    const missing = files.flatMap((file) =>
      fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").flatMap((line, i) =>
        [...line.matchAll(/pulumi config set(?! commands)(?!`)([^`'\n]*)/g)].filter((m) => !/--stack\b/.test(m[1]) && !/configSetSecret|\$\{stack/.test(line)).map(() => `${file}:${i + 1}: ${line.trim()}`),
      ),
    );
    expect(missing).toEqual([]);
  });
});
