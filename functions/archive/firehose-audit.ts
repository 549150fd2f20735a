import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { firehoseSdk } from '../aws';
import type { Logger } from '../observability';
import { type AuditRecord, auditLine } from './audit-record';

/** What the deployed audit trail needs: the stream, its client (made on first use) and where failures go. */
export interface FirehoseAuditDeps {
  readonly streamName: string;
  readonly client: () => FirehoseClient;
  readonly logger: Logger;
  /** Counts an audit record the stream did not take. */
  readonly countFailure: () => void;
}

/**
 * The deployed audit trail: each record, one JSON line, handed to the archive's audit stream, which writes it under
 * `audit/dt=YYYY-MM-DD/` in the archive bucket. The action it records has already changed the relay's state, so a
 * stream that refuses the record does not undo it: the failure is logged by error name only (never the record) and
 * counted, and the caller's `chat action` log line still holds what was done.
 */
export function firehoseAuditLog(deps: FirehoseAuditDeps): (record: AuditRecord) => Promise<void> {
  return async (record) => {
    try {
      const { PutRecordCommand } = firehoseSdk();
      await deps.client().send(
        new PutRecordCommand({
          DeliveryStreamName: deps.streamName,
          Record: { Data: Buffer.from(auditLine(record)) },
        }),
      );
    } catch (error) {
      deps.countFailure();
      deps.logger.log('error', 'a Slack action was done but its audit record is not in the archive', {
        destination: record.destination,
        reason: record.action,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
    }
  };
}
