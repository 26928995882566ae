import type { GitTokenSessionAuditRpc, RecordGitPushResult } from "@gitcred/client";
import { recordGitPush } from "../activity/record-git-push.ts";
import * as schemas from "../schemas.ts";
import { EntrypointCalls } from "./entrypoint-calls.ts";
import { GitTokenEntrypoint } from "./git-token-entrypoint.ts";

/**
 * GitTokenSessionAudit: the session worker's git proxy records its pushes here, and nothing else is
 * here. `recordGitPush` writes an audit row under whatever user id it is given, so a holder of it could
 * add entries to any person's "what agents did as you". That is why it is not on `GitTokenService`: the
 * platform's workers bind that one, and they must not be able to put words in a person's activity (nor
 * make a push look as if the proxy had done it). Only the session worker binds this entrypoint; every
 * row names its caller from the binding's props. No method here reads, returns or mints a token.
 */
export class GitTokenSessionAudit extends GitTokenEntrypoint implements GitTokenSessionAuditRpc {
  protected readonly calls = new EntrypointCalls(this.env, this.ctx, "GitTokenSessionAudit");

  /** One push the proxy forwarded (`git_push`) or refused (`git_push_refused`), strictly validated. */
  async recordGitPush(input: unknown): Promise<RecordGitPushResult> {
    return this.calls.call("recordGitPush", schemas.recordGitPushInput, input, (deps, value) =>
      recordGitPush(deps, value),
    );
  }
}
