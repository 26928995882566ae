import { DurableObject } from "cloudflare:workers";

/**
 * One per agent session: session facts only (ids, repo, identity, events), never a token.
 * (The session logic arrives with the session worker; the class and its migration exist from the
 * foundation so deployments never need to rename it.)
 */
export class CloudAgentSession extends DurableObject<Env> {}
