/**
 * A progress line on stderr while a long plan runs, as `pulumi preview` keeps one: only on a terminal (never in a
 * pipe or a log, never under CI), only once the plan has taken a second (short plans stay quiet), rewritten in place
 * and erased before anything else is printed.
 */
export interface Progress {
  /** Resources registered so far. */
  registered(count: number): void;
  /** What is happening now ("running the policy pack"). */
  stage(text: string): void;
  /** Erases the line; call before printing anything else. */
  done(): void;
}

const ERASE = "\r\u001b[K";

export function startProgress(
  stream: { isTTY?: boolean; write(s: string): unknown },
  label: string,
  env: NodeJS.ProcessEnv = process.env,
  opts: { delayMs?: number; everyMs?: number } = {},
): Progress {
  if (!stream.isTTY || env.CI) return { registered: () => undefined, stage: () => undefined, done: () => undefined };
  const started = Date.now();
  let count = 0;
  let stage = "running the program";
  let shown = false;
  const draw = () => {
    if (Date.now() - started < (opts.delayMs ?? 1000)) return;
    shown = true;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    stream.write(`${ERASE}${label}: ${stage}, ${count} resources registered (${seconds}s)`);
  };
  const timer = setInterval(draw, opts.everyMs ?? 250);
  timer.unref();
  return {
    registered: (n) => { count = n; },
    stage: (text) => { stage = text; },
    done: () => {
      clearInterval(timer);
      if (shown) stream.write(ERASE);
      shown = false;
    },
  };
}
