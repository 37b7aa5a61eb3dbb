/**
 * Deployment critical path and a simulated `pulumi up`, from the dependencies a plan recorded. Pure functions: no
 * I/O, no clock, so test/bench/critical-path.test.ts can check exact numbers on a hand-made graph.
 *
 * Two dependency models:
 * - "recorded": what `pulumi up` waits for. The SDK registers a resource only once every resource in its
 *   `dependencies` (input references plus explicit `dependsOn`) has been created, and once a custom-resource parent
 *   exists (its URN). A component in a dependency list stands for all of its custom descendants.
 * - "ideal": each resource waits only for what it truly needs: the resources its inputs reference
 *   (`propertyDependencies`), nothing for ordering or parentage.
 * Components, the stack and providers take no time (latencyOf gives 0): they only relay their children.
 */
export interface GraphResource {
  urn: string;
  type: string;
  custom: boolean;
  parent: string | null;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export type DependencyModel = "recorded" | "ideal";
export type LatencyFn = (type: string, custom: boolean) => number;

export interface ChainResult {
  /** Sum of latencies along the longest chain, in seconds. */
  seconds: number;
  /** URNs of that chain, first to last. */
  chain: string[];
}

/** Each resource's direct waits under `model`, components expanded to their custom descendants. */
export function effectiveDependencies(resources: GraphResource[], model: DependencyModel): Map<string, string[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) if (r.parent) (children.get(r.parent) ?? children.set(r.parent, []).get(r.parent)!).push(r.urn);

  const customDescendants = new Map<string, string[]>();
  const descendantsOf = (urn: string): string[] => {
    const known = customDescendants.get(urn);
    if (known) return known;
    const out: string[] = [];
    const stack = [...(children.get(urn) ?? [])];
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (byUrn.get(u)?.custom) out.push(u);
      stack.push(...(children.get(u) ?? []));
    }
    customDescendants.set(urn, out);
    return out;
  };

  const result = new Map<string, string[]>();
  for (const r of resources) {
    const direct = new Set<string>();
    if (model === "recorded") {
      for (const d of r.dependencies) direct.add(d);
      if (r.parent && byUrn.get(r.parent)?.custom) direct.add(r.parent);
    } else {
      for (const urns of Object.values(r.propertyDependencies)) for (const d of urns) direct.add(d);
    }
    const waits = new Set<string>();
    for (const d of direct) {
      const dep = byUrn.get(d);
      if (!dep) continue; // outside this plan (e.g. an existing resource): nothing to wait for
      if (dep.custom) waits.add(d);
      else for (const c of descendantsOf(d)) waits.add(c);
    }
    waits.delete(r.urn);
    result.set(r.urn, [...waits]);
  }
  return result;
}

/** Resources in an order where every wait comes first; throws on a cycle (the SDK would deadlock on it too). */
function topologicalOrder(resources: GraphResource[], waits: Map<string, string[]>): string[] {
  const indegree = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const r of resources) indegree.set(r.urn, 0);
  for (const r of resources) {
    for (const d of waits.get(r.urn) ?? []) {
      indegree.set(r.urn, indegree.get(r.urn)! + 1);
      (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(r.urn);
    }
  }
  const order: string[] = [];
  const queue = resources.filter((r) => indegree.get(r.urn) === 0).map((r) => r.urn);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    order.push(u);
    for (const s of dependants.get(u) ?? []) {
      indegree.set(s, indegree.get(s)! - 1);
      if (indegree.get(s) === 0) queue.push(s);
    }
  }
  if (order.length !== resources.length) throw new Error(`dependency cycle among ${resources.length - order.length} resources`);
  return order;
}

export interface Chains {
  /** The longest chain of the whole stack. */
  overall: ChainResult;
  /** Length in seconds of the longest chain ending with each resource (its finish time, unbounded parallelism). */
  finish: Map<string, number>;
  /** The longest chain ending with `urn`. */
  chainTo(urn: string): string[];
}

/** Longest dependency chains with unbounded parallelism: each resource starts when its last wait is created. */
export function longestChains(resources: GraphResource[], model: DependencyModel, latency: LatencyFn): Chains {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const waits = effectiveDependencies(resources, model);
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const u of topologicalOrder(resources, waits)) {
    let start = 0;
    let from: string | undefined;
    for (const d of waits.get(u) ?? []) {
      const f = finish.get(d)!;
      if (from === undefined || f > start) {
        start = f;
        from = d;
      }
    }
    const r = byUrn.get(u)!;
    finish.set(u, start + latency(r.type, r.custom));
    via.set(u, from);
  }
  const chainTo = (urn: string): string[] => {
    const chain: string[] = [];
    for (let x: string | undefined = urn; x !== undefined; x = via.get(x)) chain.push(x);
    return chain.reverse();
  };
  let last: string | undefined;
  for (const r of resources) if (last === undefined || finish.get(r.urn)! > finish.get(last)!) last = r.urn;
  const overall = last === undefined ? { seconds: 0, chain: [] } : { seconds: finish.get(last)!, chain: chainTo(last) };
  return { overall, finish, chainTo };
}

/** A binary min-heap on [key1, key2] pairs (time, then registration order). */
class MinHeap {
  private readonly items: [number, number][] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): [number, number] | undefined {
    return this.items[0];
  }
  push(item: [number, number]): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): [number, number] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
function less(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export interface UpSimulation {
  /** Wall time of the whole update, in seconds. */
  seconds: number;
  /** Most provisioning operations in flight at once. */
  peakInFlight: number;
}

/**
 * Event simulation of `pulumi up` on an empty stack: a resource becomes ready when everything it waits for is
 * created; at most `parallel` provisioning operations run at once (Infinity: unbounded); among ready resources the
 * one registered first starts first, as the engine's step executor works in registration order. Resources with no
 * latency (components, providers) complete as soon as they are ready and take no slot.
 */
export function simulateUp(resources: GraphResource[], model: DependencyModel, latency: LatencyFn, parallel: number): UpSimulation {
  if (!(parallel >= 1)) throw new Error("parallel must be at least 1");
  const waits = effectiveDependencies(resources, model);
  topologicalOrder(resources, waits); // rejects cycles up front
  const index = new Map(resources.map((r, i) => [r.urn, i]));
  const remaining = resources.map((r) => (waits.get(r.urn) ?? []).length);
  const dependants: number[][] = resources.map(() => []);
  resources.forEach((r, i) => (waits.get(r.urn) ?? []).forEach((d) => dependants[index.get(d)!].push(i)));
  const lat = resources.map((r) => latency(r.type, r.custom));

  const ready = new MinHeap(); // [time it became ready, registration order]
  const running = new MinHeap(); // [finish time, registration order]
  let end = 0;
  let peakInFlight = 0;
  const complete = (i: number, t: number) => {
    end = Math.max(end, t);
    for (const s of dependants[i]) if (--remaining[s] === 0) becomeReady(s, t);
  };
  const becomeReady = (i: number, t: number) => {
    if (lat[i] === 0) complete(i, t);
    else ready.push([t, i]);
  };
  resources.forEach((_, i) => {
    if (remaining[i] === 0) becomeReady(i, 0);
  });

  let now = 0;
  while (ready.size > 0 || running.size > 0) {
    while (ready.size > 0 && running.size < parallel && ready.peek()![0] <= now) {
      const [, i] = ready.pop()!;
      running.push([now + lat[i], i]);
    }
    peakInFlight = Math.max(peakInFlight, running.size);
    if (running.size === 0) {
      now = ready.peek()![0];
      continue;
    }
    const [t, i] = running.pop()!;
    now = t;
    complete(i, t);
    while (running.size > 0 && running.peek()![0] === now) complete(running.pop()![1], now);
  }
  return { seconds: end, peakInFlight };
}

/** The project a resource belongs to: the name of its nearest MlProject ancestor, or "(platform)". */
export function projectOf(resources: GraphResource[]): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const result = new Map<string, string>();
  const find = (r: GraphResource | undefined): string => {
    if (!r) return "(platform)";
    const known = result.get(r.urn);
    if (known !== undefined) return known;
    const p = r.type === "mlvault:index:MlProject" ? r.urn.slice(r.urn.lastIndexOf("::") + 2) : find(r.parent ? byUrn.get(r.parent) : undefined);
    result.set(r.urn, p);
    return p;
  };
  for (const r of resources) find(r);
  return result;
}

/** Waits (under `model`) from one project's resource to another project's: projects must never wait on each other. */
export function crossProjectWaits(resources: GraphResource[], model: DependencyModel): { from: string; to: string }[] {
  const project = projectOf(resources);
  const waits = effectiveDependencies(resources, model);
  const out: { from: string; to: string }[] = [];
  for (const r of resources) {
    const p = project.get(r.urn)!;
    if (p === "(platform)") continue;
    for (const d of waits.get(r.urn) ?? []) {
      const q = project.get(d)!;
      if (q !== p && q !== "(platform)") out.push({ from: r.urn, to: d });
    }
  }
  return out;
}
