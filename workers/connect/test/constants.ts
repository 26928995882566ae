/** The webhook secret the connect worker is configured with in tests (GitHub signs with the App's). */
export const WEBHOOK_SECRET = "connect-test-webhook-secret";
