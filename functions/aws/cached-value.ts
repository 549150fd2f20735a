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

/** Reads a required environment variable, failing at start-up with a message that names it. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the stack sets it, so redeploy`);
  return value;
}
