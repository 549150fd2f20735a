import type { Logger } from '../observability';

/** How many distinct addresses a summary line names; the count covers them all. */
const MAX_ADDRESSES = 5;

export interface RefusalLog {
  /** A request was answered 401, from `remoteAddress`; `reason` (a code) goes on the line logged at once, if any. */
  refused(remoteAddress: string | undefined, reason?: string): void;
  /** Writes what is still counted, and stops the timer. */
  close(): void;
}

/**
 * The local relay's 401 answers (wrong webhook tokens, unsigned Slack requests: `what`), logged so an operator sees
 * someone probing, but at most one line per
 * `intervalMs`: the first refusal at once, then one line per interval with the count and the callers' addresses
 * while refusals go on. Never the token or the path.
 */
export function refusalLog(
  logger: Logger,
  intervalMs = 60_000,
  what = 'webhook requests with a wrong token',
): RefusalLog {
  let count = 0;
  const addresses = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const write = (n: number, from: readonly string[], reason?: string): void => {
    const shown = from.slice(0, MAX_ADDRESSES).join(', ');
    const more = from.length > MAX_ADDRESSES ? ` and ${from.length - MAX_ADDRESSES} more` : '';
    logger.log('warn', `answered 401 to ${what}`, {
      status: 401,
      count: n,
      remoteAddress: `${shown || 'unknown'}${more}`,
      reason: reason ?? `at most one such line every ${Math.round(intervalMs / 1000)} s`,
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
    refused(remoteAddress, reason) {
      if (timer === undefined) {
        write(1, remoteAddress ? [remoteAddress] : [], reason);
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
