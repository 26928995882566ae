import { expect, it } from "vitest";

it("runs in workerd", async () => {
  expect(typeof crypto.subtle.encrypt).toBe("function");
  expect(navigator.userAgent).toBe("Cloudflare-Workers");
});
