/**
 * Avatars: every account's `avatar_url` loads from the simulator itself (a small SVG); unknown ids 404.
 */
import { describe, expect, it } from "vitest";
import { useSimulator } from "./helpers.ts";

const sim = useSimulator();

describe("avatars", () => {
  it("serves GET /avatars/u/{id} for a known account (what avatar_url says) and 404 for an unknown one", async () => {
    const user = await sim.admin.seedUser({ login: "avatar-person", name: "Avatar Person" });
    const profile = (await (await fetch(`${sim.url}/users/avatar-person`)).json()) as { avatar_url: string };
    expect(profile.avatar_url).toBe(`${sim.url}/avatars/u/${user.id}?v=4`);
    const image = await fetch(profile.avatar_url);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await image.text();
    expect(svg).toContain("<svg");
    expect(svg).toContain(">A</text>");
    expect(await (await fetch(profile.avatar_url)).text()).toBe(svg); // deterministic
    expect((await fetch(`${sim.url}/avatars/u/987654321`)).status).toBe(404);
    expect((await fetch(`${sim.url}/avatars/u/not-a-number`)).status).toBe(404);
  });
});
