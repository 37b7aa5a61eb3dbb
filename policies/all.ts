/**
 * Every policy of the mlvault baseline, one module per control family. Tests and tooling import
 * this (never pack.ts, whose PolicyPack constructor starts the gRPC server).
 */
import type { Policies } from "@pulumi/policy";
import { APPINSIGHTS_POLICIES } from "./appinsights";
import { HYGIENE_POLICIES } from "./hygiene";
import { IDENTITY_POLICIES } from "./identity";
import { KEYVAULT_POLICIES } from "./keyvault";
import { ML_POLICIES } from "./ml";
import { MONITORING_POLICIES } from "./monitoring";
import { SECRET_POLICIES } from "./secrets";
import { STORAGE_POLICIES } from "./storage";

export const ALL_POLICIES: Policies = [
  ...KEYVAULT_POLICIES,
  ...SECRET_POLICIES,
  ...ML_POLICIES,
  ...STORAGE_POLICIES,
  ...APPINSIGHTS_POLICIES,
  ...MONITORING_POLICIES,
  ...IDENTITY_POLICIES,
  ...HYGIENE_POLICIES,
];
