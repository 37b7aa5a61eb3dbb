/**
 * Where a JSON text stops parsing, as " at line L, column C" — never the text itself: a file handed to mlvault may
 * hold secrets (`--show-secrets` exports, outputs files), and JSON.parse's own message quotes the input.
 */
export function jsonErrorPosition(text: string, err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : "");
  if (!m) return "";
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column}`;
}
