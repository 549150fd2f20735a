/**
 * Structured JSON logs. The fields a log line may carry are a closed list of values that are never PHI
 * nor credentials: no recipient, subject, header, request path or URL can be logged by mistake.
 */
export interface LogFields {
  readonly eventKey?: string;
  readonly eventType?: string;
  readonly senderDomain?: string;
  readonly destination?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly errorName?: string;
  readonly count?: number;
  readonly attempt?: number;
  readonly durationMs?: number;
  readonly metric?: string;
  /** Id of a digest (a hash of its events' keys); ties a posted digest to the events it stands for. */
  readonly digestKey?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** One JSON object per line, to whatever `write` is (stdout in Lambda, where CloudWatch picks it up). */
export function jsonLogger(
  service: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  return {
    log(level, message, fields = {}) {
      write(JSON.stringify({ level, time: new Date().toISOString(), service, message, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/** `level message key=value …` lines, for people watching the local relay in a terminal. */
export function textLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  return {
    log(level, message, fields = {}) {
      const pairs = Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`);
      write([level.padEnd(5), message, ...pairs].join(' '));
    },
  };
}

/** CloudWatch namespace of the relay's metrics; the construct's alarms watch these names. */
export const METRIC_NAMESPACE = 'PauboxAlertRelay';
export const DESTINATION_BROKEN_METRIC = 'DestinationBroken';

/**
 * A CloudWatch metric as an Embedded Metric Format log line: CloudWatch extracts it from the log,
 * with no API call on the hot path.
 */
export function emfMetric(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): (name: string, value: number) => void {
  return (name, value) =>
    write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }],
        },
        ...dimensions,
        [name]: value,
      }),
    );
}
