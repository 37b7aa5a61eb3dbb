/**
 * Turns Pulumi's flat config map (values are strings; objects and arrays arrive JSON-encoded) into the parsed map
 * validateStackConfig takes. Used by the program (pulumi.runtime.allConfig()) and mirrored by the CLI, which reads
 * Pulumi.<stack>.yaml itself.
 */
export function parseConfigMap(all: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) out[key] = decode(value);
  return out;
}

function decode(value: string): unknown {
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** The inverse, for handing a parsed config to the Pulumi runtime (PULUMI_CONFIG / setAllConfig). */
export function encodeConfigMap(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}
