import type { RpcFailure } from "@gitcred/client";
import type { ServiceDeps } from "../deps.ts";
import { ssoRequirements } from "./sso-requirements.ts";

/**
 * GitHub refused the person's token for `owner` because the organization enforces SAML SSO. Answered as
 * `sso_required` naming the organization, never as `no_repo_access`: the person may well have the
 * repository, and "no access" would be cached and would keep the App from standing in. Nothing of it is
 * cached, so the first call after the person authorizes goes to GitHub and works. The authorize URL is
 * kept (encrypted, for the settings page) and appears in no result.
 */
export function ssoRefused(
  deps: ServiceDeps,
  input: { userId: string; connectionId: string; owner: string },
  authorizeUrl: string | undefined,
): RpcFailure<"sso_required"> {
  if (authorizeUrl !== undefined) {
    deps.waitUntil(
      ssoRequirements
        .remember(deps, { ...input, organization: input.owner, authorizeUrl })
        .catch((error: unknown) => deps.logger.warn("could not keep an SSO requirement", { error })),
    );
  }
  deps.logger.info("the person's token needs SAML SSO authorization", {
    userId: input.userId,
    organization: input.owner,
  });
  return {
    ok: false,
    reason: "sso_required",
    message: `the organization ${input.owner} enforces SAML SSO: the person must authorize their token for it`,
    personAction: { kind: "sso_authorization", organization: input.owner },
  };
}
