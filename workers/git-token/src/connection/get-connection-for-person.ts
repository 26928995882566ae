import type { GetConnectionResult } from "@gitcred/client";
import type { ServiceDeps } from "../deps.ts";
import { ssoRequirements } from "../user/sso-requirements.ts";
import { getConnection } from "./get-connection.ts";

/**
 * The connection as the settings page shows it to the person (GitTokenConnectBackend only): what
 * `getConnection` says, plus `ssoRequired` when a SAML SSO organization refused their token, with the
 * authorize URL GitHub gave. Only this entrypoint answers the URL: it is the person's to follow, and the
 * platform's own `getConnection` (whose answers may reach agents' logs) never carries it.
 */
export async function getConnectionForPerson(
  deps: ServiceDeps,
  userId: string,
): Promise<GetConnectionResult> {
  const connection = await getConnection(deps, userId);
  if (!connection.ok || !connection.connected) return connection;
  const sso = await ssoRequirements
    .read(deps, { userId, connectionId: connection.connectionId })
    .catch(() => undefined);
  return sso === undefined ? connection : { ...connection, ssoRequired: sso };
}
