/** Where one device authorization stands; what `getDeviceConnect` answers. */
export type DeviceConnectStatus = "pending" | "connected" | "denied" | "expired" | "failed";

/**
 * Durable Object storage of a device authorization: an encrypted device code and the flow's state, never
 * a token, and nothing of the person (their user id and login live on their `device_authorizations` row
 * in Postgres, which erasure deletes; git-token cannot reach this object's storage).
 */
export interface DeviceRecord {
  /** AES-GCM envelope; removed as soon as the authorization ends. */
  deviceCodeEnc?: string;
  userCode: string;
  verificationUri: string;
  intervalSeconds: number;
  expiresAt: number;
  status: DeviceConnectStatus;
  /** Why it failed (a reason code, never a message from GitHub). */
  failureReason?: string;
  /** Set by `nextDeviceState` when connected; moved to Postgres, never stored in the object. */
  login?: string;
  polls: number;
}

export interface DeviceView {
  status: DeviceConnectStatus;
  userCode: string;
  verificationUri: string;
  expiresAt: string;
  login?: string;
  failureReason?: string;
}
