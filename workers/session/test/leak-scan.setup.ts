/**
 * The canary scan after every test file (shared with the other workerd projects): no token or code the
 * simulator issued, nor the client secret, in any session object's or user index's storage, nor in a log
 * line the session worker wrote. The session worker is never given the App's private key, so the scan
 * cannot look for it. It must be armed: a canary OAuth code issued for this file alone is among what it
 * looks for.
 */
import { durableObjectHaystack, scanEachTestFile } from "../../../test-support/workerd/canary-scan.ts";
import { testEnv } from "./helpers.ts";

scanEachTestFile({
  env: testEnv,
  appSecrets: ["client secret"],
  places: async () => [
    [
      "Durable Object storage",
      [
        ...(await durableObjectHaystack(testEnv.SESSIONS)),
        ...(await durableObjectHaystack(testEnv.USER_SESSIONS)),
      ],
    ],
  ],
});
