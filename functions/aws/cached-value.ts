/** A value fetched at run time and kept for at most `maxAgeMs`; concurrent callers share one fetch. */
export function cachedValue<T>(
  fetch: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: T; at: number } | undefined;
  let pending: Promise<T> | undefined;
  return async () => {
    if (cached && now() - cached.at < maxAgeMs) return cached.value;
    pending ??= fetch()
      .then((value) => {
        cached = { value, at: now() };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
