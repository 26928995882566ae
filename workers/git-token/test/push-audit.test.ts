/**
 * The push audit (#14 §6, #18): `GitTokenSessionAudit.recordGitPush`, the session worker's git proxy
 * recording each push under the person, inside workerd against Postgres. The row holds the repository,
 * session, identity and the refs, nothing else and nothing token-shaped; malformed inputs are refused
 * with no row; the settings page's `listActivity` returns it; the platform's and the connect worker's
 * entrypoints have no such method.
 */
import { exports } from "cloudflare:workers";
import type { GitTokenSessionAuditRpc, RecordGitPushInput } from "@gitcred/client";
import { describe, expect, it } from "vitest";
import { GitTokenAdmin } from "../src/entrypoints/git-token-admin.ts";
import { GitTokenConnectBackend } from "../src/entrypoints/git-token-connect-backend.ts";
import { GitTokenService } from "../src/entrypoints/git-token-service.ts";
import { GitTokenSessionAudit } from "../src/entrypoints/git-token-session-audit.ts";
import { auditEventsOf, connectBackend, unique } from "./helpers.ts";

/** GitTokenSessionAudit as the session worker's binding reaches it. */
function sessionAudit(caller = "gitcred-session"): GitTokenSessionAuditRpc {
  return exports.GitTokenSessionAudit({ props: { caller } }) as unknown as GitTokenSessionAuditRpc;
}

/** Token shapes GitHub issues (classic and fine-grained user, installation, refresh, OAuth). */
const TOKEN_SHAPED = /\b(gh[opusr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})/;
const ZERO = "0".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);

function push(userId: string, extra: Partial<RecordGitPushInput> = {}): RecordGitPushInput {
  return {
    userId,
    tenantId: userId,
    sessionId: unique("sess"),
    owner: "octo-org",
    repo: "widgets",
    identity: "user",
    refs: [
      { ref: "refs/heads/agent/one", oldId: ZERO, newId: A },
      { ref: "refs/heads/agent/two", oldId: A, newId: B },
    ],
    ...extra,
  };
}

describe("recordGitPush", () => {
  it("writes one git_push row with the repository, session, identity and refs, and no secret", async () => {
    const userId = unique("user");
    const input = push(userId);
    expect(await sessionAudit().recordGitPush(input)).toEqual({ ok: true, event: "git_push" });

    const rows = await auditEventsOf(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event: "git_push",
      userId,
      caller: "gitcred-session",
      githubUserId: null,
    });
    expect(rows[0]?.detail).toEqual({
      repository: "octo-org/widgets",
      sessionId: input.sessionId,
      tenantId: userId,
      identity: "user",
      refs: input.refs,
    });
    expect(JSON.stringify(rows)).not.toMatch(TOKEN_SHAPED);

    // The settings page's read: the push with its refs, what happened to each, and who recorded it.
    const listed = await connectBackend().listActivity({ userId });
    expect(listed).toMatchObject({
      ok: true,
      events: [
        {
          kind: "git_push",
          repository: "octo-org/widgets",
          sessionId: input.sessionId,
          identity: "user",
          caller: "gitcred-session",
          refs: [
            { ref: "refs/heads/agent/one", action: "create", oldId: ZERO, newId: A },
            { ref: "refs/heads/agent/two", action: "update", oldId: A, newId: B },
          ],
        },
      ],
    });
  });

  it("a refused push is git_push_refused with its reason; SHA-256 ids, the bot and counted refs pass", async () => {
    const userId = unique("user");
    const sha256 = "c".repeat(64);
    const input = push(userId, {
      identity: "app",
      refs: [{ ref: "refs/heads/main", oldId: sha256, newId: "0".repeat(64) }],
      omittedRefs: 3,
      refused: { reason: "branch_policy" },
    });
    const { tenantId: _, ...withoutTenant } = input;
    expect(await sessionAudit().recordGitPush(withoutTenant)).toEqual({
      ok: true,
      event: "git_push_refused",
    });
    const [row] = await auditEventsOf(userId);
    expect(row).toMatchObject({ event: "git_push_refused" });
    expect(row?.detail).toEqual({
      repository: "octo-org/widgets",
      sessionId: input.sessionId,
      identity: "app",
      refs: input.refs,
      omittedRefs: 3,
      reason: "branch_policy",
    });
    const listed = await connectBackend().listActivity({ userId });
    expect(listed).toMatchObject({
      ok: true,
      events: [
        {
          kind: "git_push_refused",
          identity: "app",
          reason: "branch_policy",
          omittedRefs: 3,
          refs: [{ ref: "refs/heads/main", action: "delete" }],
        },
      ],
    });
  });

  it("refuses malformed pushes with invalid_request, writes nothing, and never echoes the value", async () => {
    const userId = unique("user");
    const token = `ghp_${"Z".repeat(36)}`;
    const ref = (r: string) => ({ refs: [{ ref: r, oldId: ZERO, newId: A }] });
    const bad: Record<string, unknown>[] = [
      ref("heads/agent/x"),
      ref("refs/heads/agent/../main"),
      ref("refs/heads/agent x"),
      ref("refs/heads/agent\u0001x"),
      ref("refs/heads/agent/é"),
      ref("refs/heads/agent/x.lock"),
      ref("refs/heads/agent/"),
      ref("refs/heads/@{x}"),
      ref(`refs/heads/${"x".repeat(250)}`),
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: "A".repeat(40) }] },
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: "a".repeat(39) }] },
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: "a".repeat(64) }] },
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: ZERO }] },
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: token }] },
      { refs: [{ ref: "refs/heads/agent/x", oldId: ZERO, newId: A, token }] },
      { refs: [] },
      {
        refs: Array.from({ length: 51 }, (_, i) => ({ ref: `refs/heads/agent/${i}`, oldId: ZERO, newId: A })),
      },
      { omittedRefs: -1 },
      { omittedRefs: 1.5 },
      { identity: "admin" },
      { refused: { reason: token } },
      { refused: { reason: "branch_policy", message: token } },
      { token },
      { userId: "" },
      { userId: "x".repeat(129) },
      { sessionId: "a b" },
      { owner: "../etc" },
      { repo: ".." },
    ];
    for (const override of bad) {
      const input = { ...push(userId), ...override };
      const result = await sessionAudit().recordGitPush(input as RecordGitPushInput);
      expect(result, JSON.stringify(override).slice(0, 80)).toMatchObject({
        ok: false,
        reason: "invalid_request",
      });
      expect(JSON.stringify(result)).not.toContain(token);
    }
    expect(await sessionAudit().recordGitPush(undefined as unknown as RecordGitPushInput)).toMatchObject({
      ok: false,
      reason: "invalid_request",
    });
    expect(await auditEventsOf(userId)).toEqual([]);
    expect(await auditEventsOf("")).toEqual([]);
  });

  it("lives on its own entrypoint: the platform's, the connect worker's and the operator's lack it", () => {
    const methods = (entrypoint: { prototype: object }) =>
      new Set(Object.getOwnPropertyNames(entrypoint.prototype));
    expect(methods(GitTokenSessionAudit)).toEqual(new Set(["constructor", "recordGitPush"]));
    for (const entrypoint of [GitTokenService, GitTokenConnectBackend, GitTokenAdmin]) {
      expect(methods(entrypoint).has("recordGitPush"), entrypoint.name).toBe(false);
    }
  });
});
