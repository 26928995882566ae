import type { BranchPolicy, GitRefUpdate } from "@gitcred/client";
import type { RefRefusal } from "./refusal-report.ts";

/**
 * The branch policy of a session that named none: the agent's own branches only. A sandbox can then
 * neither rewrite the person's branches nor delete anything, whatever runs in it.
 */
const DEFAULT_BRANCH_POLICY: Required<BranchPolicy> = {
  allow: ["refs/heads/agent/*"],
  allowDeletions: false,
  allowDefaultBranch: false,
};

/** The policy with its defaults filled in (records from before policies existed get the default). */
export function resolveBranchPolicy(
  policy:
    | {
        allow: readonly string[];
        allowDeletions?: boolean | undefined;
        allowDefaultBranch?: boolean | undefined;
      }
    | undefined,
): Required<BranchPolicy> {
  if (policy === undefined) return { ...DEFAULT_BRANCH_POLICY, allow: [...DEFAULT_BRANCH_POLICY.allow] };
  return {
    allow: [...policy.allow],
    allowDeletions: policy.allowDeletions ?? false,
    allowDefaultBranch: policy.allowDefaultBranch ?? false,
  };
}

/**
 * git check-ref-format's rules (gitprotocol-common, "refname"), so a pattern is never matched against a
 * name git itself would not write: `refs/...`, no `..`, `@{`, `//`, control characters, space, `~^:?*[\`,
 * no component starting with `.`, no trailing `/`, `.` or `.lock`.
 */
export function isValidRefName(ref: string): boolean {
  if (!ref.startsWith("refs/") || ref.length > 1024) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\/$|\.$|\.lock$|\.lock\//.test(ref)) return false;
  return true;
}

/** The longest ref name a push record carries (git-token's `recordGitPush`, the person's settings page). */
export const MAX_AUDITED_REF_LENGTH = 255;

/**
 * Whether a ref name can go in the person's push record as it is: printable ASCII, at most 255
 * characters. The proxy refuses a push to any other name, because a push it forwards must be recorded:
 * git and GitHub take UTF-8 names, which the record (shown on the settings page) does not.
 */
export function isAuditableRefName(ref: string): boolean {
  return ref.length <= MAX_AUDITED_REF_LENGTH && /^[!-~]+$/.test(ref);
}

/** `*` matches any run of characters, slashes too; everything else literally. */
function matches(pattern: string, ref: string): boolean {
  const parts = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`).test(ref);
}

/** Whether the push's verdict depends on the repository's default branch (only then is it looked up). */
export function needsDefaultBranch(
  policy: Required<BranchPolicy>,
  updates: readonly GitRefUpdate[],
): boolean {
  return (
    !policy.allowDefaultBranch &&
    updates.some((u) => u.ref.startsWith("refs/heads/") && policy.allow.some((p) => matches(p, u.ref)))
  );
}

/**
 * Why each update of a push is refused, if any is (empty: the push may go). `defaultBranch` is the
 * repository's default branch (`main`), or `undefined` when it could not be learned: then a push that
 * might be to it is refused (fail closed), with a reason that says to try again.
 */
export function evaluatePush(
  policy: Required<BranchPolicy>,
  updates: readonly GitRefUpdate[],
  defaultBranch: string | undefined,
): RefRefusal[] {
  const refusals: RefRefusal[] = [];
  for (const update of updates) {
    const reason = refusalOf(policy, update, defaultBranch);
    if (reason !== undefined) refusals.push({ ref: update.ref, reason });
  }
  return refusals;
}

function refusalOf(
  policy: Required<BranchPolicy>,
  update: GitRefUpdate,
  defaultBranch: string | undefined,
): string | undefined {
  if (!isValidRefName(update.ref)) return "gitcred: not a valid ref name";
  if (!isAuditableRefName(update.ref)) {
    return `gitcred: the git proxy takes ref names of printable ASCII, at most ${MAX_AUDITED_REF_LENGTH} characters`;
  }
  if (!policy.allow.some((pattern) => matches(pattern, update.ref))) {
    return `gitcred: this session may push only to ${policy.allow.join(", ")}`;
  }
  if (update.action === "delete" && !policy.allowDeletions) {
    return "gitcred: this session may not delete refs";
  }
  if (!policy.allowDefaultBranch && update.ref.startsWith("refs/heads/")) {
    if (defaultBranch === undefined) {
      return "gitcred: could not learn the repository's default branch; try again";
    }
    if (update.ref === `refs/heads/${defaultBranch}`) {
      return "gitcred: this session may not push to the default branch";
    }
  }
  return undefined;
}
