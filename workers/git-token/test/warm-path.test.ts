/**
 * What makes a warm getTokenForRepo cheap, counted for real: once a person's token is memoized (and their
 * repo access is in KV), and once the App's token for a repository is cached, further calls ask GitHub
 * nothing (the simulator's counters) and open no Postgres connection (the local database proxy's count).
 * How fast that is belongs to `pnpm bench`.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connect, githubCalls, seedWorld, service } from "./helpers.ts";

/** Warm calls per identity: one after another, as an agent asking again and again. */
const CALLS = 50;

/** Postgres connections the local proxy has opened so far (every pool connection of every worker). */
async function connectionsOpened(): Promise<number> {
  const response = await fetch(`http://${env.DB_WS_PROXY}/stats`);
  const { opened } = (await response.json()) as { opened: number };
  return opened;
}

describe("a warm getTokenForRepo", () => {
  it("asks GitHub nothing and opens no database connection, for the person's token and the App's", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const rpc = service("warm-path");
    const user = {
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "write" as const,
    };
    const app = {
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      prefer: "app" as const,
    };

    // The cold calls: they read the row, ask GitHub about the repository and mint the App's token.
    const githubBefore = await githubCalls();
    const openedBefore = await connectionsOpened();
    const coldUser = await rpc.getTokenForRepo(user);
    const coldApp = await rpc.getTokenForRepo(app);
    expect(coldUser).toMatchObject({ ok: true, source: "user" });
    expect(coldApp).toMatchObject({ ok: true, source: "app" });
    // The premise: the counters see cold work (a repo lookup and a mint at GitHub, the row read).
    expect(await githubCalls()).toBeGreaterThan(githubBefore);
    expect(await connectionsOpened()).toBeGreaterThan(openedBefore);

    for (const [input, cold] of [
      [user, coldUser],
      [app, coldApp],
    ] as const) {
      const github = await githubCalls();
      const opened = await connectionsOpened();
      const answers = [];
      for (let i = 0; i < CALLS; i++) answers.push(await rpc.getTokenForRepo(input));
      expect(await githubCalls()).toBe(github);
      expect(await connectionsOpened()).toBe(opened);
      // Served from what the cold call left: the very same token every time.
      expect(answers.map((a) => (a.ok ? a.token : `failed:${a.reason}`))).toEqual(
        Array(CALLS).fill(cold.ok ? cold.token : "cold call failed"),
      );
    }
  });
});
