/**
 * Building blocks of the fuzzers: hostile strings (separators, traversal, encodings, control characters,
 * sizes, token-shaped canaries), arbitrary structured-clone values, and "valid or not" field choices.
 * Generated inside workerd, so every value RPC can carry (undefined, NaN, -0, Date, Map, BigInt, boxed
 * values, `__proto__` keys…) reaches the method as-is. (Objects without a prototype are left out: RPC
 * refuses to serialize them on the caller's side, so no platform could send one.) Shared by the
 * reliability run's fuzzers (bench/worker) and git-token's own fuzz test.
 */
import fc from "fast-check";

/** Never issued by the simulator: if it comes back in an answer, an input was echoed. */
export const CANARY = "ghu_FUZZCANARY0123456789abcdefghijklmn";

export const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    ".",
    "..",
    "../etc/passwd",
    "a/b",
    "%2F",
    "%00",
    "a\r\nSet-Cookie: x=1",
    "a\u0000b",
    "-a",
    "a-",
    "a--b",
    "__proto__",
    "constructor",
    "ünïcödé",
    "😀",
    "x".repeat(40),
    "x".repeat(101),
    "y".repeat(129),
    "z".repeat(5000),
    CANARY,
    `${CANARY}.${"a".repeat(480)}`,
    "Bearer ghs_abc",
    "http://127.0.0.1/cb",
    "//evil.example",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    // Near misses of a SHA-256 in hex (rejectedTokenSha256): upper case, one short, one long, not hex.
    "A".repeat(64),
    "a".repeat(63),
    "a".repeat(65),
    "g".repeat(64),
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
);

export const anything: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 2,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withBigInt: true,
  withDate: true,
  withSparseArray: true,
});

/** A field that is usually invalid: the valid choice, hostile strings, or anything at all. */
export function maybe<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    { weight: 5, arbitrary: nasty },
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0, -1, 1.5, Number.NaN, true, [], {}) },
  );
}

/** A record whose every field is `maybe` valid, some missing, sometimes an extra key — or anything. */
export function inputsOf(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const valid = fc.record(shape, { noNullPrototype: true });
  const mixed = fc.record(Object.fromEntries(Object.entries(shape).map(([k, arb]) => [k, maybe(arb)])), {
    requiredKeys: [],
    noNullPrototype: true,
  });
  const extra = fc
    .tuple(mixed, fc.constantFrom("extra", "__proto__", "constructor", "toString"), nasty)
    .map(([r, k, v]) => ({ ...(r as object), [k]: v }));
  // About one input in five reaches past validation (Postgres, GitHub): enough to fuzz the deep paths,
  // few enough that 10,000 per method fit the run's time on two cores.
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    { weight: 10, arbitrary: mixed },
    { weight: 1, arbitrary: extra },
    { weight: 1, arbitrary: anything },
  );
}
