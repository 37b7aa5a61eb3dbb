import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/azure-native/provider";

/**
 * An azure-native provider for another subscription, configured like the stack's default provider. Some resources
 * are addressed by resource group and name only, in the provider's subscription (a private link scope's scoped
 * resource, for one): when their target lives in another subscription (a hub network's Azure Monitor Private Link
 * Scope), they need a provider there. An explicit provider reads only its own arguments and the ARM_* environment,
 * not the stack's `azure-native:*` config, so that config is passed through here (secrets stay secret).
 */
export function providerInSubscription(name: string, subscriptionId: string): Provider {
  const c = new pulumi.Config("azure-native");
  return new Provider(name, {
    subscriptionId,
    tenantId: c.get("tenantId"),
    auxiliaryTenantIds: c.getObject<string[]>("auxiliaryTenantIds"),
    environment: c.get("environment"),
    location: c.get("location"),
    metadataHost: c.get("metadataHost"),
    clientId: c.get("clientId"),
    clientSecret: c.getSecret("clientSecret"),
    clientCertificatePath: c.get("clientCertificatePath"),
    clientCertificatePassword: c.getSecret("clientCertificatePassword"),
    useOidc: c.getBoolean("useOidc"),
    oidcRequestUrl: c.get("oidcRequestUrl"),
    oidcRequestToken: c.getSecret("oidcRequestToken"),
    oidcToken: c.getSecret("oidcToken"),
    oidcTokenFilePath: c.get("oidcTokenFilePath"),
    useMsi: c.getBoolean("useMsi"),
    msiEndpoint: c.get("msiEndpoint"),
    useDefaultAzureCredential: c.getBoolean("useDefaultAzureCredential"),
    disableInstanceDiscovery: c.getBoolean("disableInstanceDiscovery"),
    partnerId: c.get("partnerId"),
    disablePulumiPartnerId: c.getBoolean("disablePulumiPartnerId"),
  });
}
