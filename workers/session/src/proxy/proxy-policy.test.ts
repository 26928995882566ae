import { describe, expect, it } from "vitest";
import { evaluatePush, isValidRefName, needsDefaultBranch, resolveBranchPolicy } from "./branch-policy.ts";
import { parseProxyRoute } from "./parse-proxy-route.ts";
import { refusalReport } from "./refusal-report.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);
const update = (ref: string, action: "create" | "update" | "delete" = "update") => ({
  ref,
  action,
  oldId: action === "create" ? Z : A,
  newId: action === "delete" ? Z : B,
});
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("the proxy's branch policy", () => {
  it("by default: agent/* only, no deletions, never the default branch", () => {
    const policy = resolveBranchPolicy(undefined);
    expect(
      evaluatePush(
        policy,
        [update("refs/heads/agent/fix-1"), update("refs/heads/agent/a/b", "create")],
        "main",
      ),
    ).toEqual([]);
    expect(evaluatePush(policy, [update("refs/heads/main")], "main")).toEqual([
      { ref: "refs/heads/main", reason: "gitcred: this session may push only to refs/heads/agent/*" },
    ]);
    expect(evaluatePush(policy, [update("refs/heads/agent/old", "delete")], "main")).toEqual([
      { ref: "refs/heads/agent/old", reason: "gitcred: this session may not delete refs" },
    ]);
    expect(evaluatePush(policy, [update("refs/tags/v1", "create")], "main")).toHaveLength(1);
    expect(evaluatePush(policy, [update("refs/heads/agentx")], "main")).toHaveLength(1);
  });

  it("a wide pattern still keeps the default branch, and fails closed when it is unknown", () => {
    const policy = { allow: ["refs/heads/*"], allowDeletions: true, allowDefaultBranch: false };
    expect(needsDefaultBranch(policy, [update("refs/heads/feature")])).toBe(true);
    expect(evaluatePush(policy, [update("refs/heads/feature")], "trunk")).toEqual([]);
    expect(evaluatePush(policy, [update("refs/heads/trunk")], "trunk")).toEqual([
      { ref: "refs/heads/trunk", reason: "gitcred: this session may not push to the default branch" },
    ]);
    expect(evaluatePush(policy, [update("refs/heads/feature")], undefined)[0]?.reason).toMatch(/try again/);
    expect(needsDefaultBranch({ ...policy, allowDefaultBranch: true }, [update("refs/heads/trunk")])).toBe(
      false,
    );
  });

  it("patterns are literal but for *; names git would not write are refused", () => {
    const policy = { allow: ["refs/heads/a.b/*"], allowDeletions: false, allowDefaultBranch: true };
    expect(evaluatePush(policy, [update("refs/heads/a.b/x")], undefined)).toEqual([]);
    expect(evaluatePush(policy, [update("refs/heads/aXb/x")], undefined)).toHaveLength(1);
    for (const bad of [
      "refs/heads/a.b/../x",
      "refs/heads/a.b/x.lock",
      "refs/heads/a.b/x y",
      "heads/x",
      "refs/heads/a.b/x/",
    ]) {
      expect(isValidRefName(bad), bad).toBe(false);
      expect(evaluatePush(policy, [update(bad)], undefined)[0]?.reason).toBeDefined();
    }
  });

  it("names git takes but a push record cannot carry (UTF-8, over 255 characters) are refused", () => {
    // Else the push went to GitHub and left no record for the person (push-audit-of.ts drops them).
    const policy = { allow: ["refs/heads/agent/*"], allowDeletions: false, allowDefaultBranch: true };
    const longest = `refs/heads/agent/${"a".repeat(255 - "refs/heads/agent/".length)}`;
    expect(evaluatePush(policy, [update(longest)], undefined)).toEqual([]);
    for (const name of ["refs/heads/agent/ü", `${longest}b`, "refs/heads/agent/\u{1F680}"]) {
      expect(isValidRefName(name), name).toBe(true);
      expect(evaluatePush(policy, [update(name)], undefined)[0]?.reason).toMatch(
        /printable ASCII, at most 255/,
      );
    }
  });
});

describe("the proxy's refusal report", () => {
  const refusals = [{ ref: "refs/heads/main", reason: "gitcred: no" }];
  it("report-status: unpack ok, ng per ref, flush", () => {
    expect(text(refusalReport(refusals, ["report-status"], "why"))).toBe(
      "000eunpack ok\n0023ng refs/heads/main gitcred: no\n0000",
    );
  });
  it("side-band-64k: the message on band 2, the report on band 1, then a flush", () => {
    const out = text(refusalReport(refusals, ["report-status", "side-band-64k"], "why\nnot"));
    expect(out).toBe(`000d\x02why not\n003a\x01000eunpack ok\n0023ng refs/heads/main gitcred: no\n00000000`);
  });
  it("side-band splits at 1000 bytes; without report-status: ERR (or band 3)", () => {
    const long = Array.from({ length: 30 }, (_, i) => ({
      ref: `refs/heads/agent/${"x".repeat(40)}${i}`,
      reason: "r",
    }));
    const out = refusalReport(long, ["report-status", "side-band"], "m");
    let at = 0;
    while (at < out.byteLength) {
      const len = Number.parseInt(text(out.subarray(at, at + 4)), 16);
      expect(len).toBeLessThanOrEqual(1000);
      at += len === 0 ? 4 : len;
    }
    expect(text(refusalReport(refusals, [], "denied"))).toBe("000fERR denied\n");
    expect(text(refusalReport(refusals, ["side-band-64k"], "denied"))).toBe("000c\x03denied\n0000");
  });
});

describe("the proxy's routes", () => {
  const at = (path: string, method = "GET") => parseProxyRoute(new URL(`https://s.example${path}`), method);
  it("the three smart-HTTP endpoints, with or without .git", () => {
    expect(at("/git/s-1/Acme/Widgets.git/info/refs?service=git-upload-pack")).toEqual({
      sessionId: "s-1",
      owner: "Acme",
      repo: "Widgets",
      service: "git-upload-pack",
      kind: "advertise",
    });
    expect(at("/git/s-1/acme/widgets/info/refs?service=git-receive-pack")).toMatchObject({
      kind: "advertise",
      service: "git-receive-pack",
    });
    expect(at("/git/s-1/acme/widgets.git/git-upload-pack", "POST")).toMatchObject({
      kind: "rpc",
      service: "git-upload-pack",
    });
    expect(at("/git/s-1/acme/widgets.git/git-receive-pack", "POST")).toMatchObject({
      kind: "rpc",
      service: "git-receive-pack",
    });
  });
  it.each([
    ["/git/s-1/acme/widgets.git/info/refs", 404],
    ["/git/s-1/acme/widgets.git/info/refs?service=git-upload-archive", 404],
    ["/git/s-1/acme/widgets.git/HEAD", 404],
    ["/git/s-1/acme/widgets.git/objects/info/packs", 404],
    ["/git/s-1/acme/widgets.git/info/lfs/objects/batch", 501],
    ["/git/s-1/ac%2Fme/widgets.git/git-upload-pack", 404],
    ["/git/s-1/acme/..%2F..%2Fx.git/git-upload-pack", 404],
    ["/git/s%20x/acme/widgets.git/git-upload-pack", 404],
  ])("%s is refused (%i) with a message", (path, status) => {
    const route = at(path);
    expect(route).toMatchObject({ status });
    expect(route !== undefined && "message" in route && route.message.startsWith("gitcred:")).toBe(true);
  });
  it("wrong methods are 405; other paths are not the proxy's", () => {
    expect(at("/git/s-1/acme/w.git/git-receive-pack", "GET")).toMatchObject({ status: 405 });
    expect(at("/git/s-1/acme/w.git/info/refs?service=git-upload-pack", "POST")).toMatchObject({
      status: 405,
    });
    expect(at("/sessions/s-1/credentials")).toBeUndefined();
  });
});
