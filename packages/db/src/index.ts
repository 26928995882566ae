export { compareAndSetUserToken, type UserTokenPatch } from "./compare-and-set-user-token.ts";
export { isDatabaseUnavailable } from "./is-database-unavailable.ts";
export {
  type Database,
  DatabaseConfigError,
  type DatabaseEnv,
  type DatabaseHandle,
  openDatabase,
} from "./open-database.ts";
export { type DatabaseHealth, pingDatabase } from "./ping-database.ts";
export * from "./schema.ts";
