/**
 * Rotation windows for credentials that expire: two slots ("a" and "b") rotate alternately, so one valid
 * credential always exists. A window is half the lifetime; slot a is renewed at the start of even windows, slot b
 * at the start of odd ones, and each credential is valid for the full lifetime (a little over two windows when the
 * lifetime is odd). Inside one window every input is identical: `pulumi up` twice in a window changes nothing.
 */
const DAY_MS = 86_400_000;

export interface RotationSlot {
  slot: "a" | "b";
  /** Window index the credential was issued in: the `rotateWhenChanged` / `keepers` trigger. */
  window: number;
  start: Date;
  end: Date;
}

export interface RotationPlan {
  windowDays: number;
  slots: [RotationSlot, RotationSlot];
  /** The slot issued most recently: the one stored in the vault. */
  current: RotationSlot;
}

/** The window of `periodDays` days that `now` falls in, counted from the Unix epoch. */
export function currentWindow(periodDays: number, now: Date): { index: number; start: Date } {
  const periodMs = periodDays * DAY_MS;
  const index = Math.floor(now.getTime() / periodMs);
  return { index, start: new Date(index * periodMs) };
}

export function rotationPlan(lifetimeDays: number, now: Date): RotationPlan {
  if (!(lifetimeDays >= 1)) throw new Error("rotation needs a lifetime of at least one day");
  const windowDays = Math.max(1, Math.floor(lifetimeDays / 2));
  const windowMs = windowDays * DAY_MS;
  const w = currentWindow(windowDays, now).index;
  const slot = (name: "a" | "b", parity: 0 | 1): RotationSlot => {
    const window = w % 2 === parity ? w : w - 1;
    const start = new Date(window * windowMs);
    return { slot: name, window, start, end: new Date(start.getTime() + lifetimeDays * DAY_MS) };
  };
  const a = slot("a", 0);
  const b = slot("b", 1);
  return { windowDays, slots: [a, b], current: a.window > b.window ? a : b };
}

/**
 * The clock the program uses. MLVAULT_NOW (ISO date-time) pins it, for reproducible plans and tests; otherwise the
 * wall clock, which only matters when a rotation window rolls over.
 */
export function programClock(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.MLVAULT_NOW;
  if (pinned) {
    const t = Date.parse(pinned);
    if (Number.isNaN(t)) throw new Error(`MLVAULT_NOW: must be an ISO date-time, such as 2026-12-01T00:00:00Z`);
    return new Date(t);
  }
  return new Date();
}

export const DAY_SECONDS = 86_400;

export function epochSeconds(isoDate: string): number {
  return Math.floor(Date.parse(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate) / 1000);
}
