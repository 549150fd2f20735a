/** The archived line of an event, the local JSON-lines archive and bus entries: the face of archive/ for other concerns. */
export { AUTOMATION_SOURCE, automationEntries } from './automation-event';
export { type AuditRecord, auditLine, auditRecordOf } from './audit-record';
export { type FirehoseAuditDeps, firehoseAuditLog } from './firehose-audit';
export { archiveDirOf, archiveEvent, auditDirOf, FileArchive, FileAuditLog } from './file-archive';
export { archiveLine, toArchiveRecord } from './record';
