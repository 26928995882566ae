import type { Context } from "hono";
import { readCappedBody } from "../read-capped-body.ts";
import type { AppEnv } from "../request-context.ts";

/** Our forms carry a CSRF token and a field or two; 16 KiB is far above any of them. */
const MAX_FORM_BYTES = 16 * 1024;

export type FormRead = { ok: true; form: Record<string, string> } | { ok: false; reason: "too_large" };

/**
 * A POSTed form, read with a size cap (the stream is cut at the cap, never buffered whole): without it,
 * anyone could POST gigabytes at a page route and the isolate would buffer them before the session or
 * CSRF check refuses the request. A body that is not a form reads as an empty form (the CSRF check fails).
 */
export async function readForm(c: Context<AppEnv>, maxBytes = MAX_FORM_BYTES): Promise<FormRead> {
  const body = await readCappedBody(c.req.raw, maxBytes);
  if (!body.ok) return body;
  const form: Record<string, string> = {};
  const contentType = c.req.header("content-type") ?? "";
  const parsed = await new Response(body.bytes, { headers: { "content-type": contentType } })
    .formData()
    .catch(() => undefined);
  parsed?.forEach((value, name) => {
    if (typeof value === "string") form[name] = value;
  });
  return { ok: true, form };
}
