/** What each worker's `health()` RPC answers; plain data so it survives the RPC boundary. */
export interface WorkerHealth {
  worker: string;
  ok: boolean;
  [check: string]: string | boolean;
}
