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
  /** Addresses of callers the local relay refused, as its sockets saw them; never a path, header or token. */
  readonly remoteAddress?: string;
  /** Who acted from chat: a Slack user id (`U…`), never a name. With the fields below, a deployed audit line. */
  readonly slackUser?: string;
  /** A recipient's keyed fingerprint (`r-…`), as alerts show it; never the address. */
  readonly fingerprint?: string;
  readonly silenceId?: string;
  /** When a silence made from chat ends (ISO 8601). */
  readonly until?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** What the Lambda runtime tells a handler about itself; the fields Powertools Logger puts on every line. */
export interface LambdaContextLike {
  readonly functionName: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string | number;
  readonly awsRequestId: string;
}

export interface LambdaJsonLogger extends Logger {
  /** Adds the invocation's function context to the lines that follow, as Powertools Logger's `addContext` does. */
  addContext(context: LambdaContextLike | undefined): void;
}

/**
 * One JSON object per line, in the shape Powertools Logger writes (`level`, `message`, `timestamp`, `service`,
 * `cold_start`, `function_*`, `xray_trace_id`, then the fields), so one CloudWatch Logs Insights query reads every
 * function's logs. The ingest function uses it instead of Powertools Logger to keep its bundle small.
 */
export function jsonLogger(
  service: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  env: NodeJS.ProcessEnv = process.env,
): LambdaJsonLogger {
  let invocation: Record<string, unknown> = {};
  let coldStart = true;
  return {
    addContext(context) {
      if (!context) return;
      invocation = {
        cold_start: coldStart,
        function_arn: context.invokedFunctionArn,
        function_memory_size: Number(context.memoryLimitInMB),
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
      };
      coldStart = false;
    },
    log(level, message, fields = {}) {
      // `Root=1-…;Parent=…;Sampled=1`: the trace id is the Root part.
      const traceId = /Root=([^;]+)/.exec(env._X_AMZN_TRACE_ID ?? '')?.[1];
      write(
        JSON.stringify({
          level: level.toUpperCase(),
          message,
          timestamp: new Date().toISOString(),
          service,
          ...invocation,
          ...(traceId ? { xray_trace_id: traceId } : {}),
          ...fields,
        }),
      );
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/** Keeps a value on its record's line: a line break inside it would forge or split a record. */
const oneLine = (value: string): string => value.replace(/\r/g, '\\r').replace(/\n/g, '\\n');

/**
 * `time level message key=value …` lines, for people watching the local relay in a terminal; the time is ISO 8601
 * in UTC, as the JSON logs give it. Each record ends with its own newline, so any text sink (a stream, a file, a
 * test's buffer) receives exactly one record per line.
 */
export function textLogger(
  write: (text: string) => void = (text) => process.stderr.write(text),
  now: () => Date = () => new Date(),
): Logger {
  return {
    log(level, message, fields = {}) {
      const pairs = Object.entries(fields).map(([k, v]) => `${k}=${oneLine(String(v))}`);
      write(`${[now().toISOString(), level.padEnd(5), oneLine(message), ...pairs].join(' ')}\n`);
    },
  };
}
