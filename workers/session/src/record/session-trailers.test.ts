import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../types.ts";
import { formatIdentity, sessionTrailers } from "./session-trailers.ts";

const base = {
  identity: "app",
  person: { name: "Ada Lovelace", email: "1+ada@users.noreply.github.com" },
} as SessionRecord;

describe("sessionTrailers", () => {
  it("names the person as co-author of the bot's commits", () => {
    expect(sessionTrailers(base)).toEqual(["Co-authored-by: Ada Lovelace <1+ada@users.noreply.github.com>"]);
  });

  it("adds nothing when the person commits themselves or is unknown", () => {
    expect(sessionTrailers({ ...base, identity: "user" })).toEqual([]);
    expect(sessionTrailers({ ...base, person: null })).toEqual([]);
  });

  it("keeps line breaks and angle brackets of a profile name out of the trailer", () => {
    expect(
      formatIdentity({ name: "Eve\nSigned-off-by: x <y>", email: "2+eve@users.noreply.github.com" }),
    ).toBe("Eve Signed-off-by: x y <2+eve@users.noreply.github.com>");
  });
});
