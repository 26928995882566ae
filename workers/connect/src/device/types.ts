/** Where one device authorization stands; what `getDeviceConnect` answers. */
export type DeviceConnectStatus = "pending" | "connected" | "denied" | "expired" | "failed";

/** Durable Object storage of a device authorization: ids and an encrypted device code, never a token. */
export interface DeviceRecord {
  userId: string;
  /** AES-GCM envelope; removed as soon as the authorization ends. */
  deviceCodeEnc?: string;
  userCode: string;
  verificationUri: string;
  intervalSeconds: number;
  expiresAt: number;
  status: DeviceConnectStatus;
  /** Why it failed (a reason code, never a message from GitHub). */
  failureReason?: string;
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
