import type { Logger } from '../observability';

/** How many distinct addresses a summary line names; the count covers them all. */
const MAX_ADDRESSES = 5;

export interface RefusalLog {
  /** A request was answered 401 (wrong token), from `remoteAddress`. */
  refused(remoteAddress: string | undefined): void;
  /** Writes what is still counted, and stops the timer. */
  close(): void;
}

/**
 * The local relay's wrong-token answers, logged so an operator sees someone probing, but at most one line per
 * `intervalMs`: the first refusal at once, then one line per interval with the count and the callers' addresses
 * while refusals go on. Never the token or the path.
 */
export function refusalLog(logger: Logger, intervalMs = 60_000): RefusalLog {
  let count = 0;
  const addresses = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const write = (n: number, from: readonly string[]): void => {
    const shown = from.slice(0, MAX_ADDRESSES).join(', ');
    const more = from.length > MAX_ADDRESSES ? ` and ${from.length - MAX_ADDRESSES} more` : '';
    logger.log('warn', 'answered 401 to webhook requests with a wrong token', {
      status: 401,
      count: n,
      remoteAddress: `${shown || 'unknown'}${more}`,
      reason: `at most one such line every ${Math.round(intervalMs / 1000)} s`,
    });
  };
  const flush = (): void => {
    if (count === 0) {
      timer = undefined;
      return;
    }
    write(count, [...addresses]);
    count = 0;
    addresses.clear();
    timer = setTimeout(flush, intervalMs);
    timer.unref();
  };

  return {
    refused(remoteAddress) {
      if (timer === undefined) {
        write(1, remoteAddress ? [remoteAddress] : []);
        timer = setTimeout(flush, intervalMs);
        timer.unref();
        return;
      }
      count += 1;
      // Bounded: a flood from many hosts must not grow the set without end.
      if (remoteAddress && addresses.size < 100) addresses.add(remoteAddress);
    },
    close() {
      clearTimeout(timer);
      if (count > 0) write(count, [...addresses]);
      count = 0;
      addresses.clear();
      timer = undefined;
    },
  };
}
