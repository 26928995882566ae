import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../types.ts";
import { sessionAuthor, sessionTrailers } from "./session-trailers.ts";

const bot = { name: "gitcred[bot]", email: "1+gitcred[bot]@users.noreply.github.com" };
const person = { name: "Ada Lovelace", email: "1+ada@users.noreply.github.com" };
const app = { identity: "app", author: bot } as SessionRecord;

describe("sessionTrailers", () => {
  it("names the person as co-author of the bot's commits", () => {
    expect(sessionTrailers(app, person)).toEqual([
      "Co-authored-by: Ada Lovelace <1+ada@users.noreply.github.com>",
    ]);
  });

  it("adds nothing when the person commits themselves or is unknown", () => {
    expect(sessionTrailers({ identity: "user" }, person)).toEqual([]);
    expect(sessionTrailers(app, null)).toEqual([]);
  });

  it("keeps line breaks and angle brackets of a profile name out of the trailer", () => {
    const eve = { name: "Eve\nSigned-off-by: x <y>", email: "2+eve@users.noreply.github.com" };
    expect(sessionTrailers(app, eve)).toEqual([
      "Co-authored-by: Eve Signed-off-by: x y <2+eve@users.noreply.github.com>",
    ]);
  });
});

describe("sessionAuthor", () => {
  it("is the stored bot for the App, the person (never stored) for the person's own session", () => {
    expect(sessionAuthor(app, person)).toEqual(bot);
    expect(sessionAuthor({ identity: "user", author: null }, person)).toEqual(person);
    expect(sessionAuthor({ identity: "user", author: null }, null)).toBeNull();
    expect(sessionAuthor({ identity: null, author: null }, person)).toBeNull();
  });
});
