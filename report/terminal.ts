/**
 * What a human stream can show: its width (a TTY's columns, 80 when piped, as the issue and most CLIs agree) and
 * whether to colour (a TTY, unless NO_COLOR; FORCE_COLOR forces it, as https://no-color.org and Node's own
 * `hasColors()` read them).
 */
export interface Display {
  width: number;
  color: boolean;
}

export function displayOf(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): Display {
  const width = stream.isTTY && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : 80;
  return { width, color: colorWanted(stream.isTTY === true, env) };
}

function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return !["0", "false"].includes(env.FORCE_COLOR.toLowerCase());
  return isTTY && env.TERM !== "dumb";
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2, bold: 1 } as const;
export type Style = keyof typeof CODES;

/** `text` in a style when colour is on; unchanged otherwise (so plain output never carries escape codes). */
export function paint(display: Pick<Display, "color">, style: Style | undefined, text: string): string {
  return display.color && style && text !== "" ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}

/** `text` cut to `width` characters, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, Math.max(0, width)) : text.slice(0, width - 1) + "…";
}

/**
 * `text` broken at spaces into lines of at most `width` characters: the first after `indent`, the others after
 * `hanging` (a word longer than a line stays whole). Used for prose, such as a policy message, never for a tree row.
 */
export function wrap(text: string, width: number, indent: string, hanging = indent): string[] {
  const lines: string[] = [];
  let line = "";
  const room = () => Math.max(20, width - (lines.length === 0 ? indent : hanging).length);
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > room()) {
      lines.push((lines.length === 0 ? indent : hanging) + line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push((lines.length === 0 ? indent : hanging) + line);
  return lines;
}
