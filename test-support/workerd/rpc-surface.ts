/**
 * What Workers RPC lets a caller reach on an entrypoint or a Durable Object class: every method and
 * accessor on its prototype chain below the runtime's own base class. TypeScript's `private` and
 * `protected` are not JavaScript's: such a method is on the prototype and callable over RPC by whoever
 * holds a binding (only `#private` members and instance fields are out of reach). A test compares this
 * with the methods a class means to expose, so a helper put on the prototype fails it.
 */
export function rpcSurface(cls: { prototype: object }, runtimeBase: { prototype: object }): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = cls.prototype;
    proto !== null && proto !== runtimeBase.prototype && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== "constructor") names.add(name);
  }
  return [...names].sort();
}

/**
 * Calls `method` on `stub` as a caller holding the binding would, whatever the stub's type says:
 * used to show a method is not reachable (the runtime answers that the receiver does not implement it).
 */
export function callAnyway(stub: unknown, method: string, ...args: unknown[]): Promise<unknown> {
  const target = stub as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return Promise.resolve().then(() => target[method]!(...args));
}
