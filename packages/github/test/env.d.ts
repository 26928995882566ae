declare namespace Cloudflare {
  interface Env {
    SIM_URL: string;
    GITHUB_APP_ID: string;
    GITHUB_CLIENT_ID: string;
    GITHUB_CLIENT_SECRET: string;
    GITHUB_APP_PRIVATE_KEY: string;
  }
}
