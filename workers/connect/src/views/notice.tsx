import type { PlatformAccount } from "../platform-account.ts";
import { NOTICES, type NoticeCode } from "./notices.ts";

/** The outcome of the last action, named with the platform account it was done for. */
export function Notice(props: { code: NoticeCode; account: PlatformAccount }) {
  const notice = NOTICES[props.code];
  return (
    <p
      class={`notice ${notice.kind}`}
      role={notice.kind === "error" ? "alert" : "status"}
      data-notice={props.code}
    >
      {notice.text} (Platform account: {props.account.displayName}.)
    </p>
  );
}

/** The session's CSRF token, in every form that changes something. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}
