import { safeReturnPath } from "../safe-return-path.ts";
import type { NoticeCode } from "../views/notices.ts";

/** `<path>?github=<code>` on a safe same-site path (the code is one of ours, never GitHub's text). */
export function backTo(returnTo: string, code: NoticeCode): string {
  const url = new URL(safeReturnPath(returnTo), "https://gitcred.invalid");
  url.searchParams.set("github", code);
  return `${url.pathname}${url.search}${url.hash}`;
}
