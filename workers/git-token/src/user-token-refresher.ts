import { DurableObject } from "cloudflare:workers";

/**
 * One per platform user: the only place that user's single-use GitHub refresh token is spent.
 * (The refresh logic arrives with the git-token worker; the class and its migration exist from the
 * foundation so deployments never need to rename it.)
 */
export class UserTokenRefresher extends DurableObject<Env> {}
