import type { Context } from "hono";
import type { PlatformAccount } from "../platform-account.ts";
import type { AppEnv } from "../request-context.ts";
import { TooManyStartsPage } from "../views/too-many-starts-page.tsx";

/**
 * 429 with Retry-After for a device start over its budget, and a page that says so: a client (or a script
 * driving the form) is told to back off, and a person is told when they can start again.
 */
export function refuseDeviceStart(c: Context<AppEnv>, account: PlatformAccount, retryAfterSeconds: number) {
  c.header("retry-after", String(retryAfterSeconds));
  return c.html(<TooManyStartsPage account={account} retryAfterSeconds={retryAfterSeconds} />, 429);
}
