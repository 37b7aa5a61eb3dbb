/** Exit codes of every mlvault command (a contract: pipelines read them). */
export const EXIT = { ok: 0, violations: 1, usage: 2, internal: 3 } as const;

/** An error the user can fix: printed as its lines on stderr, no stack trace, exit 2. */
export class UsageError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}
