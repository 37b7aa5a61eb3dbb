import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";

export interface PrivateEndpointArgs {
  name: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subnetId: string;
  /** ARM id of the target resource (vault, workspace, storage account). */
  targetId: pulumi.Input<string>;
  /** Private link sub-resource: vault | amlworkspace | blob | file. */
  groupId: string;
  /** Existing private DNS zones to register the endpoint in (optional: many hubs manage DNS centrally by policy). */
  dnsZoneIds: string[];
  tags: Record<string, string>;
}

/** A private endpoint into the platform subnet, plus a DNS zone group when zone ids are given. */
export function privateEndpoint(logicalName: string, args: PrivateEndpointArgs, opts: pulumi.CustomResourceOptions): network.PrivateEndpoint {
  const pe = new network.PrivateEndpoint(logicalName, {
    privateEndpointName: args.name,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    subnet: { id: args.subnetId },
    privateLinkServiceConnections: [{ name: args.name, privateLinkServiceId: args.targetId, groupIds: [args.groupId] }],
    tags: args.tags,
  }, opts);
  if (args.dnsZoneIds.length > 0) {
    new network.PrivateDnsZoneGroup(`${logicalName}-dns`, {
      privateDnsZoneGroupName: "default",
      privateEndpointName: pe.name,
      resourceGroupName: args.resourceGroupName,
      privateDnsZoneConfigs: args.dnsZoneIds.map((id, i) => ({ name: `zone-${i}`, privateDnsZoneId: id })),
    }, { ...opts, parent: opts.parent });
  }
  return pe;
}
