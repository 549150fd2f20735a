import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares a presented token with the expected one in constant time. Both sides are hashed first,
 * so neither the length nor any prefix of the expected token leaks through timing.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected.length === 0) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
