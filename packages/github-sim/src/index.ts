/**
 * The GitHub simulator worker (`gitcred-github-sim`): forwards every request to the single
 * `SimState` Durable Object. A dev/test tool only: no gitcred worker binds to it; gitcred reaches it
 * when `GITHUB_API_URL` and `GITHUB_WEB_URL` point at its origin.
 */
import type { SimState } from "./sim-state.ts";

export { SimState } from "./sim-state.ts";

/** Bindings of the simulator worker. */
export interface Env {
  SIM: DurableObjectNamespace<SimState>;
  /** `ghes` serves GitHub Enterprise Server's layout (REST under `/api/v3`); anything else github.com's. */
  GITHUB_SIM_FLAVOR?: string;
  /** `stateless` makes the ~520-character `ghs_<appid>_<JWT>` installation tokens the default; `rollout` alternates. */
  GITHUB_SIM_TOKEN_FORMAT?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.SIM.get(env.SIM.idFromName("github-sim"));
    return stub.fetch(request);
  },
} satisfies ExportedHandler<Env>;
