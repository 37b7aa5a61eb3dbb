/** The policy pack entry point: constructing a PolicyPack starts the analyzer's gRPC server. */
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./all";

new PolicyPack("mlvault-baseline", { policies: ALL_POLICIES });
