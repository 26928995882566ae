/**
 * A promise the test opens when it chooses: orders concurrent events without a clock or a sleep (a call
 * is held at one point while the test acts, then let go). Works in Node and in workerd.
 */
export function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
