/**
 * A PostgreSQL server of our own (initdb + pg_ctl in a temp directory, trust auth, loopback only), for
 * what must not touch the machine's shared server: restarting the server in the middle of a run (the
 * reliability run's database faults) and a connection limit above the default 100 (the benchmark's
 * 200-caller refresh storm: each caller opens its own connection, as on Neon, whose pooled endpoint
 * accepts up to 10,000). Needs the PostgreSQL server binaries; `findPostgresBinaries()` says if they
 * are there. As root, the server runs as the `postgres` user (initdb refuses root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the admin URL (create databases from it). */
  adminUrl: string;
  port: number;
  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same port. */
  restart(): void;
  stop(): void;
  start(): void;
  close(): void;
}

/** The directory of initdb/pg_ctl: PATH first, then Debian's /usr/lib/postgresql/<version>/bin. */
export function findPostgresBinaries(): string | undefined {
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const onPath = which.stdout.trim();
  if (which.status === 0 && onPath !== "") {
    const real = spawnSync("readlink", ["-f", onPath], { encoding: "utf8" }).stdout.trim();
    return join(real || onPath, "..");
  }
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(base, version, "bin");
    if (existsSync(join(bin, "initdb"))) return bin;
  }
  return undefined;
}

/** Initialises and starts a server in a temp directory; `close()` stops it and removes the directory. */
export async function startPrivatePostgres(
  options: { maxConnections?: number } = {},
): Promise<PrivatePostgres> {
  const bin = findPostgresBinaries();
  if (bin === undefined) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found");
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync("/tmp/gitcred-pg-");
  const data = join(dir, "data");
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    execFileSync(file, argv, { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
  };
  if (asRoot) {
    chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString()), 0);
    chmodSync(dir, 0o700);
  }
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${options.maxConnections ?? 100}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
  ].join(" ");
  const start = () =>
    run(join(bin, "pg_ctl"), ["-D", data, "-o", settings, "-w", "-l", join(dir, "log"), "start"]);
  const stop = () => run(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      stop();
    } catch {
      // already stopped
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // pg_ctl daemonizes the server: if this process ends without close() (a crash, Ctrl-C), stop it anyway.
  process.once("exit", close);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    restart: () => {
      stop();
      start();
    },
    close: () => {
      process.removeListener("exit", close);
      close();
    },
  };
}
