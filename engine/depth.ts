/**
 * Input nested deeper than any real config, export or outputs file would be is refused before anything recurses
 * over it: the readers, the wire encoding and the reports walk values recursively, and 50,000 levels would exhaust
 * the stack (a crash, not an answer). Checked without recursion.
 */
export const MAX_NESTING = 100;

/** The path (e.g. `deployment.resources[0].inputs.a`) where `value` goes deeper than `max` levels, or undefined. */
export function tooDeep(value: unknown, max = MAX_NESTING, root = "(top level)"): string | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: root }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= max) return path;
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, depth: depth + 1, path: `${path}[${i}]` }));
    else for (const [k, item] of Object.entries(v)) stack.push({ v: item, depth: depth + 1, path: path === "(top level)" ? k : `${path}.${k}` });
  }
  return undefined;
}

/** The one-line problem for a file nested too deeply: names where, never the content. */
export function tooDeepMessage(path: string, max = MAX_NESTING): string {
  return `nested more than ${max} levels deep (at ${path.length > 120 ? `${path.slice(0, 117)}...` : path})`;
}
