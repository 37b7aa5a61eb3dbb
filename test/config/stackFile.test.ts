import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OFFLINE_SECRET_PLACEHOLDER, readStackFile, StackFileError } from "../../config/stackFile";

/** "[offline: encrypted value #<digest of the ciphertext>]" */
const PLACEHOLDER = expect.stringMatching(new RegExp(`^${OFFLINE_SECRET_PLACEHOLDER.slice(0, -1).replace(/[[\]]/g, "\\$&")} #[0-9a-f]{12}\\]$`));

/**
 * readStackFile reads Pulumi.yaml + Pulumi.<stack>.yaml as the Pulumi CLI would, offline: `secure:` ciphertext
 * becomes an opaque placeholder that stays secret, and broken input fails with one line the user can act on.
 */
const CIPHERTEXT = "v1:AAAABBBBccccDDDD-ciphertext-must-never-surface";
const OTHER_CIPHERTEXT = "v1:ZZZZ-second-ciphertext";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlvault-stackfile-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mlvault\nruntime: nodejs\n");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeStack(stack: string, yaml: string): void {
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml);
}

function stackFileError(fn: () => unknown): StackFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StackFileError);
    return e as StackFileError;
  }
  throw new Error("expected a StackFileError");
}

describe("secure values", () => {
  beforeEach(() =>
    writeStack("dev", [
      "config:",
      "  azure-native:location: westeurope",
      "  mlvault:apiToken:",
      `    secure: ${CIPHERTEXT}`,
      "  mlvault:secretValues:",
      "    churn/sql-password:",
      `      secure: ${OTHER_CIPHERTEXT}`,
      '    churn/plain: "not-encrypted"',
      "  mlvault:projects:",
      "    - name: churn",
      "      tokens:",
      `        - secure: ${CIPHERTEXT}`,
      "",
    ].join("\n")));

  test("a top-level secure value becomes the placeholder and its key is secret", () => {
    const file = readStackFile(dir, "dev");
    expect(file.config["mlvault:apiToken"]).toEqual(PLACEHOLDER);
    // The ciphertext itself is never carried, only a digest that tells two values apart.
    expect(file.config["mlvault:apiToken"]).not.toContain(OTHER_CIPHERTEXT);
    expect(file.config["mlvault:apiToken"]).not.toBe((file.config["mlvault:secretValues"] as Record<string, string>)["churn/sql-password"]);
    expect(file.secretKeys).toContain("mlvault:apiToken");
  });

  test("a nested secure value (mlvault:secretValues) becomes the placeholder and the top-level key is secret", () => {
    const file = readStackFile(dir, "dev");
    expect(file.config["mlvault:secretValues"]).toEqual({
      "churn/sql-password": PLACEHOLDER,
      "churn/plain": "not-encrypted",
    });
    expect(file.secretKeys).toContain("mlvault:secretValues");
  });

  test("a secure value inside a list is replaced too", () => {
    const file = readStackFile(dir, "dev");
    expect(file.config["mlvault:projects"]).toEqual([{ name: "churn", tokens: [PLACEHOLDER] }]);
    expect(file.secretKeys).toContain("mlvault:projects");
  });

  test("only keys holding a secure value are secret", () => {
    expect(readStackFile(dir, "dev").secretKeys.sort()).toEqual(["mlvault:apiToken", "mlvault:projects", "mlvault:secretValues"]);
  });

  test("no ciphertext appears anywhere in the result", () => {
    const text = JSON.stringify(readStackFile(dir, "dev"));
    expect(text).not.toContain(CIPHERTEXT);
    expect(text).not.toContain(OTHER_CIPHERTEXT);
    expect(text).not.toContain("v1:");
  });

  test("a map with secure next to other keys is not a secure value", () => {
    writeStack("odd", `config:\n  mlvault:thing:\n    secure: x\n    other: y\n`);
    const file = readStackFile(dir, "odd");
    expect(file.config["mlvault:thing"]).toEqual({ secure: "x", other: "y" });
    expect(file.secretKeys).toEqual([]);
  });
});

describe("keys", () => {
  test("keys without a namespace belong to the project and are qualified", () => {
    writeStack("dev", "config:\n  environment: dev\n  mlvault:platform:\n    owner: me\n  azure-native:location: westeurope\n");
    const file = readStackFile(dir, "dev");
    expect(file.project).toBe("mlvault");
    expect(file.stack).toBe("dev");
    expect(file.config).toEqual({
      "mlvault:environment": "dev",
      "mlvault:platform": { owner: "me" },
      "azure-native:location": "westeurope",
    });
  });

  test("project-level defaults from Pulumi.yaml apply, and the stack file overrides them", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mlvault\nconfig:\n  environment:\n    default: dev\n  region:\n    default: westeurope\n");
    writeStack("prod", "config:\n  mlvault:environment: prod\n");
    expect(readStackFile(dir, "prod").config).toEqual({ "mlvault:environment": "prod", "mlvault:region": "westeurope" });
  });

  test("a stack file without config gives an empty config", () => {
    writeStack("empty", "");
    expect(readStackFile(dir, "empty")).toEqual({ project: "mlvault", stack: "empty", config: {}, secretKeys: [], plaintextSecretValues: [] });
  });
});

describe("errors are one line", () => {
  test("a missing stack file", () => {
    const e = stackFileError(() => readStackFile(dir, "nosuch"));
    expect(e.message).toMatch(/^Pulumi\.nosuch\.yaml: no such stack file/);
    expect(e.message).not.toContain("\n");
  });

  test("broken YAML in the stack file names the file and the position", () => {
    writeStack("broken", `config:\n  mlvault:projects: [\n    - name: x\n  secret: ${CIPHERTEXT}\n`);
    const e = stackFileError(() => readStackFile(dir, "broken"));
    expect(e.message).toMatch(/^Pulumi\.broken\.yaml: cannot be read as YAML: .*line \d+/);
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toContain(CIPHERTEXT);
  });

  test("broken YAML in Pulumi.yaml", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: [mlvault\n");
    const e = stackFileError(() => readStackFile(dir, "dev"));
    expect(e.message).toMatch(/^Pulumi\.yaml: cannot be read as YAML/);
    expect(e.message).not.toContain("\n");
  });

  test("a missing Pulumi.yaml", () => {
    fs.rmSync(path.join(dir, "Pulumi.yaml"));
    const e = stackFileError(() => readStackFile(dir, "dev"));
    expect(e.message).toMatch(/^Pulumi\.yaml: /);
    expect(e.message).not.toContain("\n");
  });

  test("a Pulumi.yaml without a project name", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
    expect(stackFileError(() => readStackFile(dir, "dev")).message).toBe("Pulumi.yaml: must have a project name");
  });

  test.each(["../dev", "a/b", ""])("stack name %j is rejected before any file is read", (stack) => {
    expect(stackFileError(() => readStackFile(dir, stack)).message).toMatch(/stack names are letters, digits/);
  });

  test("config that is not a map", () => {
    writeStack("list", "config:\n  - a\n");
    expect(stackFileError(() => readStackFile(dir, "list")).message).toBe("Pulumi.list.yaml: config must be a map");
  });
});
