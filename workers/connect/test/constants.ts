/** The webhook secret the connect worker is configured with in tests (GitHub signs with the App's). */
export const WEBHOOK_SECRET = "connect-test-webhook-secret";

// The connect worker's limits as documented, pinned for the tests rather than imported (the sources keep
// them private): a limit that changes must change here too, where a reviewer sees it.

/** A page form is read up to 16 KiB (`src/routes/read-form.ts`). */
export const MAX_FORM_BYTES = 16 * 1024;

/** A webhook body over 5 MiB is refused unread (`src/routes/webhooks.ts`). */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

/** Device-flow starts: 3 per page session in 10 minutes, 6 per person an hour (`src/device/admit-device-start.ts`). */
export const DEVICE_START_LIMITS = {
  perPageSession: { limit: 3 },
  perPerson: { limit: 6 },
} as const;
