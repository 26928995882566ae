import { createLogger } from "@gitcred/utils";

/** The worker's logger: every line goes through the utils logger, which redacts (DESIGN invariant 3). */
export const log = createLogger({ worker: "gitcred-git-token" });
