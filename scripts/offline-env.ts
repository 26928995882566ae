/** Environment for wrangler on machines without Internet: no telemetry, no Cloudflare API lookups. */
export const offlineEnv: Record<string, string> = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  DO_NOT_TRACK: "1",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
