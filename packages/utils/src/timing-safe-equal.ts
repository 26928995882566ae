/**
 * Compares two secrets (session secrets, webhook signatures, hashes) in time that depends only on
 * their length, so an attacker cannot learn a matching prefix from response times. Different lengths
 * return false at once: the length of such values is not secret.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
