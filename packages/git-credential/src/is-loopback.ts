/** Whether `url` is on this machine: the only place a session API over plain http is taken. */
export function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}
