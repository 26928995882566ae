declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    DB_WS_PROXY: string;
  }
}
