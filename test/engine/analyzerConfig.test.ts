import { PolicyConfigError, PolicySchemaInfo, parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../engine/analyzerConfig";

const policies: PolicySchemaInfo[] = [
  { name: "a", enforcementLevel: "mandatory", schemaProperties: { days: { type: "integer", minimum: 1, default: 90 } } },
  { name: "b", enforcementLevel: "advisory" },
  { name: "c", enforcementLevel: "mandatory", schemaProperties: { roles: { type: "array", items: { type: "string" } } }, schemaRequired: ["roles"] },
];

describe("parsePolicyPackConfig (the --policy-pack-config file)", () => {
  test("strings are levels, objects split enforcementLevel from properties, empty entries vanish", () => {
    expect(parsePolicyPackConfig({ all: "advisory", a: { enforcementLevel: "disabled", days: 7 }, b: {}, c: { roles: ["x"] } })).toEqual({
      all: { enforcementLevel: "advisory" },
      a: { enforcementLevel: "disabled", properties: { days: 7 } },
      c: { properties: { roles: ["x"] } },
    });
  });

  test("invalid levels and shapes are refused like the CLI refuses them", () => {
    expect(() => parsePolicyPackConfig({ a: "strict" })).toThrow(/"strict" is not a valid enforcement level/);
    expect(() => parsePolicyPackConfig({ a: { enforcementLevel: 3 } })).toThrow(PolicyConfigError);
    expect(() => parsePolicyPackConfig({ a: 5 })).toThrow(/must be an enforcement level string or an object/);
  });
});

describe("reconcilePolicyPackConfig", () => {
  test("fills schema defaults and each policy's own level", () => {
    expect(reconcilePolicyPackConfig(policies, {}, parsePolicyPackConfig({ c: { roles: [] } }))).toEqual({
      a: { enforcementLevel: "mandatory", properties: { days: 90 } },
      b: { enforcementLevel: "advisory", properties: undefined },
      c: { enforcementLevel: "mandatory", properties: { roles: [] } },
    });
  });

  test("`all` sets every level, named entries override it and merge properties, initial config comes first", () => {
    const result = reconcilePolicyPackConfig(
      policies,
      { a: { properties: { days: 30 } } },
      parsePolicyPackConfig({ all: "advisory", c: { enforcementLevel: "mandatory", roles: ["r"] } }),
    );
    expect(result.a).toEqual({ enforcementLevel: "advisory", properties: { days: 30 } });
    expect(result.b.enforcementLevel).toBe("advisory");
    expect(result.c).toEqual({ enforcementLevel: "mandatory", properties: { roles: ["r"] } });
    expect(result.all).toEqual({ enforcementLevel: "advisory", properties: undefined });
  });

  test("schema violations and missing required properties stop the run", () => {
    expect(() => reconcilePolicyPackConfig(policies, {}, parsePolicyPackConfig({ a: { days: 0 }, c: { roles: ["r"] } }))).toThrow(
      /policy pack configuration is invalid: a: days: .*>=1/,
    );
    expect(() => reconcilePolicyPackConfig(policies, {}, {})).toThrow(/c: roles/);
  });

  test("properties for an unknown policy without a level are refused (Configure would reject them)", () => {
    expect(() => reconcilePolicyPackConfig(policies, {}, parsePolicyPackConfig({ c: { roles: [] }, typo: { days: 1 } }))).toThrow(
      /policy "typo" has no valid enforcement level/,
    );
  });
});
