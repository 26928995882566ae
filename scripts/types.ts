/**
 * `pnpm types` regenerates each worker's Env types from its wrangler config (`wrangler types`);
 * `pnpm types:check` fails when a committed file is stale (CI runs it).
 * Secrets are typed from .dev.vars.example, so the result does not depend on anyone's local .dev.vars.
 *
 * Service bindings to our other workers are typed with their consumer contracts from @gitcred/client
 * (as any platform worker would) instead of `typeof import(<their source>)`: importing another worker's
 * source would pull in its code, checked against this worker's global `Env`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toolCommand } from "./local/tool.ts";
import { offlineEnv } from "./offline-env.ts";

const check = process.argv.includes("--check");
const targets: { cwd: string; configs: string[]; out: string }[] = [
  {
    cwd: ".",
    configs: ["wrangler.toml", "workers/git-token/wrangler.toml", "workers/session/wrangler.toml"],
    out: "workers/connect/worker-configuration.d.ts",
  },
  { cwd: "workers/git-token", configs: ["wrangler.toml"], out: "worker-configuration.d.ts" },
  {
    cwd: "workers/session",
    configs: ["wrangler.toml", "../git-token/wrangler.toml"],
    out: "worker-configuration.d.ts",
  },
];
/** Each entrypoint's consumer contract: a binding is typed with exactly the methods its entrypoint has. */
const contracts: Record<string, string> = {
  GitTokenService: "GitTokenRpc",
  GitTokenConnectBackend: "GitTokenConnectRpc",
  GitTokenAdmin: "GitTokenAdminRpc",
  GitTokenSessionAudit: "GitTokenSessionAuditRpc",
  SessionService: "SessionRpc",
  SessionConnect: "SessionConnectRpc",
};

function useContracts(text: string): string {
  return text.replace(
    /Service<typeof import\("\.\.\/(?:git-token|session)\/src\/index"\)\.(\w+)>/g,
    (match, entrypoint: string) => {
      const contract = contracts[entrypoint];
      if (contract === undefined)
        throw new Error(`no consumer contract for entrypoint ${entrypoint} (${match})`);
      return `Service<import("@gitcred/client").${contract}>`;
    },
  );
}

let failed = false;
for (const t of targets) {
  const envFile = t.cwd === "." ? ".dev.vars.example" : "../../.dev.vars.example";
  const generated = t.out.replace(/\.d\.ts$/, ".generated.d.ts");
  const [command, args] = toolCommand("wrangler", [
    "types",
    generated,
    ...t.configs.flatMap((c) => ["-c", c]),
    ...["--include-runtime=false", "--strict-vars=false", "--env-file", envFile],
  ]);
  const result = spawnSync(command, args, {
    cwd: t.cwd,
    encoding: "utf8",
    env: { ...process.env, ...offlineEnv },
  });
  const generatedPath = join(t.cwd, generated);
  if (result.status !== 0 || !existsSync(generatedPath)) {
    console.error(`wrangler types failed for ${t.cwd}:\n${result.stdout}\n${result.stderr}`);
    failed = true;
    continue;
  }
  const text = useContracts(readFileSync(generatedPath, "utf8")).replace(generated, t.out);
  rmSync(generatedPath);
  const target = join(t.cwd, t.out);
  if (check) {
    if (!existsSync(target) || readFileSync(target, "utf8") !== text) {
      console.error(`stale: ${target} (run \`pnpm types\`)`);
      failed = true;
    } else {
      console.log(`up to date: ${target}`);
    }
  } else {
    writeFileSync(target, text);
    console.log(`written: ${target}`);
  }
}
process.exit(failed ? 1 : 0);
