import type { LogFields, Logger, LogLevel } from '../../functions/observability';

export interface CapturedLog {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps its lines, so tests can assert what was (and was not) logged. */
export function captureLogger(): Logger & { readonly lines: CapturedLog[]; text(): string } {
  const lines: CapturedLog[] = [];
  return {
    lines,
    log(level, message, fields = {}) {
      lines.push({ level, message, fields });
    },
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}
