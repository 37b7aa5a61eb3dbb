/** The public shapes of a policy-pack evaluation (analyzer.ts runs it; reports read these). */
import type { EnforcementLevel, Violation } from "./types";

export interface PolicyPackRun {
  packDir: string;
  /** Parsed `--policy-pack-config` JSON, or a promise of it (the pack boots while it is computed). */
  config?: Record<string, unknown> | Promise<Record<string, unknown>>;
  stack: string;
  project: string;
  organization?: string;
  dryRun: boolean;
}

export interface PolicyInfo {
  name: string;
  displayName?: string;
  description: string;
  /** The level in force for this run: the policy's own, after `--policy-pack-config`. */
  enforcementLevel: EnforcementLevel | "disabled" | "remediate";
  /** Tags that are control IDs (`KV-02`). */
  controls: string[];
  tags: string[];
  severity?: string;
  remediationSteps?: string;
  url?: string;
}

export interface PolicyEvaluation {
  packName: string;
  packVersion: string;
  policies: PolicyInfo[];
  violations: Violation[];
}

/** Where one analyze() spent its time (for `npm run bench`). */
export interface AnalyzeStats {
  resources: number;
  analyzeCalls: number;
  remediateCalls: number;
  /** Wall time of the per-resource Remediate/Analyze calls. */
  resourcePhaseMs: number;
  /** Wall time of the single AnalyzeStack call. */
  stackPhaseMs: number;
}

/** The pack failed while analyzing (a policy threw, a call timed out, the process died). */
export class PolicyPackRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackRunError";
  }
}

export interface AnalyzerTimeouts {
  /** Until the pack prints its port. */
  bootMs: number;
  /** Each ConfigureStack / GetAnalyzerInfo / Configure / Analyze / Remediate call. */
  callMs: number;
  /** The single AnalyzeStack call over the whole stack. */
  stackMs: number;
}

export interface PolicyPackSessionOptions extends PolicyPackRun {
  timeouts?: Partial<AnalyzerTimeouts>;
  /** Analyze calls in flight at once (the pack serves them on one event loop). */
  concurrency?: number;
}
