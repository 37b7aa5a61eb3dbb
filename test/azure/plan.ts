/**
 * The plans the Azure service-rules suite runs against: every shape of stack the tests make (shipped dev and prod,
 * the maximal config in both environments, customer-managed keys, access-policy mode, alerts on and off, day-2
 * settings such as a later generation and retired secrets). Each is the real program under the offline engine.
 */
import type { ResourceRecord } from "../../engine/types";
import { maximalConfig } from "../fixtures/maximal";
import { runConfig, runStack } from "../helpers/program";

export interface Plan {
  name: string;
  environment: "dev" | "prod";
  records: ResourceRecord[];
}

export interface Scenario {
  name: string;
  environment: "dev" | "prod";
  run(): Promise<ResourceRecord[]>;
}

function maximalWith(edit: (c: Record<string, any>) => void): Record<string, unknown> {
  const c = maximalConfig() as Record<string, any>;
  edit(c);
  return c;
}

export const SCENARIOS: Scenario[] = [
  { name: "shipped dev", environment: "dev", run: async () => (await runStack("dev")).records },
  { name: "shipped prod", environment: "prod", run: async () => (await runStack("prod")).records },
  { name: "maximal prod (customer-managed keys, alerts on)", environment: "prod", run: async () => (await runConfig(maximalConfig())).records },
  {
    name: "maximal dev (customer-managed keys in dev, public IP rules)", environment: "dev",
    run: async () => (await runConfig(maximalConfig({ "mlvault:environment": "dev" }))).records,
  },
  {
    name: "access-policy mode", environment: "prod",
    run: async () => (await runConfig(maximalWith((c) => (c["mlvault:platform"].vaultAccessModel = "accessPolicy")))).records,
  },
  {
    name: "alerts off, Defender owned elsewhere", environment: "dev",
    run: async () => (await runConfig(maximalWith((c) => {
      c["mlvault:environment"] = "dev";
      c["mlvault:platform"].alertEmails = [];
      c["mlvault:platform"].manageDefender = false;
      delete c["mlvault:platform"].network.monitorPrivateLinkScopeId;
    }))).records,
  },
  {
    name: "day 2: second generation, retired secrets", environment: "prod",
    run: async () => (await runConfig(maximalWith((c) => {
      const fraud = c["mlvault:projects"][0];
      fraud.generation = 2;
      for (const s of fraud.secrets) s.retired = true;
    }))).records,
  },
];

export async function loadPlans(): Promise<Plan[]> {
  const plans: Plan[] = [];
  // One at a time: each run sets MLVAULT_NOW for its duration.
  for (const s of SCENARIOS) plans.push({ name: s.name, environment: s.environment, records: await s.run() });
  return plans;
}
