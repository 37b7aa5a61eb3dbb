import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { OUTPUT_VALUE_SIG, SecretScrubber, toAnalyzerProperties } from "../../engine/analyzerWire";
import { RESOURCE_REFERENCE_SIG, SECRET_SIG, SPECIAL_SIG, UNKNOWN, secret } from "../../engine/wire";

describe("values as the engine marshals them for analyzers", () => {
  test("secrets and unknowns pass through Struct unchanged", () => {
    const props = { properties: { value: secret("s3cr3t-value"), enabled: UNKNOWN, n: 3, list: [secret({ a: 1 })] } };
    const wire = toAnalyzerProperties(props);
    expect(Struct.fromJavaScript(wire as never).toJavaScript()).toEqual({
      properties: {
        value: { [SPECIAL_SIG]: SECRET_SIG, value: "s3cr3t-value" },
        enabled: UNKNOWN,
        n: 3,
        list: [{ [SPECIAL_SIG]: SECRET_SIG, value: { a: 1 } }],
      },
    });
  });

  test("an encrypted secret becomes a secret whose value is unknown (never the ciphertext)", () => {
    const wire = toAnalyzerProperties({ password: { [SPECIAL_SIG]: SECRET_SIG, ciphertext: "v1:abc:def" } });
    expect(wire).toEqual({ password: { [SPECIAL_SIG]: SECRET_SIG, value: UNKNOWN } });
    expect(JSON.stringify(wire)).not.toContain("v1:abc:def");
  });

  test("internal keys are dropped at every level, undefined values skipped", () => {
    expect(toAnalyzerProperties({ __defaults: [], a: { __meta: "x", b: 1, c: undefined }, d: undefined })).toEqual({ a: { b: 1 } });
  });

  test("resource references and output values are downgraded as without KeepResources/KeepOutputValues", () => {
    const wire = toAnalyzerProperties({
      custom: { [SPECIAL_SIG]: RESOURCE_REFERENCE_SIG, urn: "urn:a", id: "/subscriptions/x/vault" },
      component: { [SPECIAL_SIG]: RESOURCE_REFERENCE_SIG, urn: "urn:component" },
      known: { [SPECIAL_SIG]: OUTPUT_VALUE_SIG, value: "v" },
      unknown: { [SPECIAL_SIG]: OUTPUT_VALUE_SIG },
      secretOutput: { [SPECIAL_SIG]: OUTPUT_VALUE_SIG, value: "hidden", secret: true },
    });
    expect(wire).toEqual({
      custom: "/subscriptions/x/vault",
      component: "urn:component",
      known: "v",
      unknown: UNKNOWN,
      secretOutput: { [SPECIAL_SIG]: SECRET_SIG, value: "hidden" },
    });
  });
});

describe("SecretScrubber", () => {
  test("replaces every secret plaintext, longest first, at any depth", () => {
    const scrubber = new SecretScrubber();
    scrubber.addFrom({ a: secret("abcd1234"), b: [secret({ user: "svc", pass: "abcd1234-longer" })], c: "public-value" });
    expect(scrubber.scrub("x abcd1234-longer y abcd1234 z public-value")).toBe("x [secret] y [secret] z public-value");
  });

  test("ignores very short secrets, which would garble ordinary words", () => {
    const scrubber = new SecretScrubber();
    scrubber.addFrom({ a: secret("on"), b: secret(true) });
    expect(scrubber.scrub("turn it on: true")).toBe("turn it on: true");
  });

  test("secret output values count as secrets", () => {
    const scrubber = new SecretScrubber();
    scrubber.addFrom({ o: { [SPECIAL_SIG]: OUTPUT_VALUE_SIG, value: "output-plain-9", secret: true } });
    expect(scrubber.scrub("got output-plain-9")).toBe("got [secret]");
  });
});
