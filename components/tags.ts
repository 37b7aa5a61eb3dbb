import type { Environment } from "../config/schema";

/** The tag set every taggable resource carries (TAG-01 checks the same keys). */
export const REQUIRED_TAGS = ["environment", "project", "owner", "managed-by"] as const;

export function tagsFor(environment: Environment, project: string, owner: string): Record<string, string> {
  return { environment, project, owner, "managed-by": "mlvault" };
}
