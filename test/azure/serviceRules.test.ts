/**
 * The Azure service-rules suite: every rule of rules.ts against every plan of plan.ts, one named test per rule and
 * plan. Each rule cites its source and has a breaker (breakers.ts) that it must catch.
 */
import { BREAKERS } from "./breakers";
import { loadPlans, SCENARIOS, type Plan } from "./plan";
import { SERVICE_RULES } from "./rules";

let plans: Plan[];
beforeAll(async () => {
  plans = await loadPlans();
}, 120_000);

const planNamed = (name: string) => plans.find((p) => p.name === name)!;

describe.each(SERVICE_RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  test.each(SCENARIOS.map((s) => s.name))("holds in plan: %s", (name) => {
    expect(rule.check(planNamed(name))).toEqual([]);
  });

  test("cites its source and catches its breaker", () => {
    expect(rule.source).toMatch(/https:\/\/learn\.microsoft\.com\/|[\w-]+\/[\w.-]+#\d+|\.go\b|\.json\b|specs/);
    const breaker = BREAKERS[id];
    expect(breaker).toBeDefined();
    expect(rule.check(breaker(plans)).length).toBeGreaterThan(0);
  });
});

test("every breaker belongs to a rule", () => {
  expect(Object.keys(BREAKERS).sort()).toEqual(SERVICE_RULES.map((r) => r.id).sort());
});

test("rule ids are unique", () => {
  const ids = SERVICE_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
});
