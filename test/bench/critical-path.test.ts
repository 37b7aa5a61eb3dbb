import { crossProjectWaits, effectiveDependencies, longestChains, simulateUp, type GraphResource } from "../../bench/criticalPath";

/**
 * A hand-made stack: platform log workspace (L, 10 s); project "a" (component A) with a vault V (20 s) needing L,
 * a secret S (3 s) needing V, a role assignment R (5 s) needing V, and an app P (2 s) that needs nothing but was
 * given `dependsOn: [component K]`, K holding R and S. Project "b" (component B) has one vault W (20 s) needing L.
 */
const U = (n: string) => `urn:pulumi:s::p::t::${n}`;
function res(name: string, type: string, custom: boolean, parent: string | null, deps: string[] = [], props: Record<string, string[]> = {}): GraphResource {
  return { urn: U(name), type, custom, parent: parent && U(parent), dependencies: deps.map(U), propertyDependencies: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.map(U)])) };
}
const GRAPH: GraphResource[] = [
  res("stack", "pulumi:pulumi:Stack", false, null),
  res("L", "law", true, "stack"),
  res("A", "mlvault:index:MlProject", false, "stack"),
  res("V", "vault", true, "A", ["L"], { logs: ["L"] }),
  res("K", "mlvault:index:VaultAccess", false, "A"),
  res("S", "secret", true, "K", ["V"], { vaultName: ["V"] }),
  res("R", "role", true, "K", ["V"], { scope: ["V"] }),
  res("P", "app", true, "A", ["K"]),
  res("B", "mlvault:index:MlProject", false, "stack"),
  res("W", "vault", true, "B", ["L"], { logs: ["L"] }),
];
const SECONDS: Record<string, number> = { law: 10, vault: 20, secret: 3, role: 5, app: 2 };
const latency = (type: string, custom: boolean) => (custom ? SECONDS[type] : 0);

describe("critical path and simulated pulumi up", () => {
  it("expands a component in dependsOn to its custom descendants, and ignores it in the ideal model", () => {
    expect(effectiveDependencies(GRAPH, "recorded").get(U("P"))!.sort()).toEqual([U("R"), U("S")]);
    expect(effectiveDependencies(GRAPH, "ideal").get(U("P"))).toEqual([]);
  });

  it("finds the longest chain: L → V → R → P as recorded (37 s), L → V → R ideally (35 s)", () => {
    const recorded = longestChains(GRAPH, "recorded", latency);
    expect(recorded.overall).toEqual({ seconds: 37, chain: [U("L"), U("V"), U("R"), U("P")] });
    expect(recorded.finish.get(U("W"))).toBe(30);
    const ideal = longestChains(GRAPH, "ideal", latency);
    expect(ideal.overall).toEqual({ seconds: 35, chain: [U("L"), U("V"), U("R")] });
    expect(ideal.finish.get(U("P"))).toBe(2);
  });

  it("simulates unbounded parallelism as the longest chain", () => {
    // Recorded: L; at 10 s V and W; at 30 s S and R; P only at 35 s, after K's children.
    expect(simulateUp(GRAPH, "recorded", latency, Infinity)).toEqual({ seconds: 37, peakInFlight: 2 });
    // Ideal: L and P start at 0 (2 in flight), then V and W, then S and R.
    expect(simulateUp(GRAPH, "ideal", latency, Infinity)).toEqual({ seconds: 35, peakInFlight: 2 });
  });

  it("queues in registration order when slots run out", () => {
    // One slot: everything is serial, 10 + 20 + 3 + 5 + 2 + 20 = 60 s whatever the edges.
    expect(simulateUp(GRAPH, "recorded", latency, 1).seconds).toBe(60);
    // Two slots, ideal: t0 L,P; t2 P done (nothing ready); t10 L done → V,W; t30 both done → S,R; t35 R done.
    expect(simulateUp(GRAPH, "ideal", latency, 2)).toEqual({ seconds: 35, peakInFlight: 2 });
  });

  it("reports waits between projects and rejects cycles", () => {
    expect(crossProjectWaits(GRAPH, "recorded")).toEqual([]);
    const crossed = [...GRAPH.filter((r) => r.urn !== U("W")), res("W", "vault", true, "B", ["L", "S"])];
    expect(crossProjectWaits(crossed, "recorded")).toEqual([{ from: U("W"), to: U("S") }]);
    const cyclic = [res("X", "app", true, null, ["Y"]), res("Y", "app", true, null, ["X"])];
    expect(() => simulateUp(cyclic, "recorded", latency, Infinity)).toThrow(/cycle/);
  });
});
