import { Aws, Names, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DetailLevel } from '../../functions/config';
import { athenaForm, QUERY_DESCRIPTIONS, QUERY_NAMES, type AthenaQuery, type QueryName } from '../../functions/reports';
import { querySql } from '../../functions/reports/local';

/** The prefixes of the archive bucket: lines, Firehose's failures, and Athena's results. */
export const ARCHIVE_PREFIX = 'archive/';
/** What people did from chat (archive-audit.ts), outside the `events` table's location. */
export const AUDIT_PREFIX = 'audit/';
export const ERRORS_PREFIX = 'errors/';
export const RESULTS_PREFIX = 'athena-results/';
/** Athena stops a query that would scan more, so a mistaken query over years of lines cannot run up a bill. */
export const BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** Reads the archive's JSON lines; the same SerDe as Athena's `ROW FORMAT SERDE` for Hive JSON. */
export const HIVE_JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
/** The Glue table's name: the SQL reads `FROM events`. */
export const EVENTS_TABLE = 'events';

/** A Glue table of the archive bucket's JSON lines under one prefix, by day. */
export interface DayTableProps {
  readonly databaseName: string;
  readonly name: string;
  readonly description: string;
  /** `s3://<bucket>/<prefix>`, whose `dt=YYYY-MM-DD/` folders hold the lines. */
  readonly location: string;
  readonly columns: readonly glue.CfnTable.ColumnProperty[];
  /** What the day is the day of. */
  readonly dayComment: string;
}

/**
 * A table of JSON lines (the objects Firehose writes) in day folders, read with partition projection: Athena finds
 * the days without a crawler. Hive's JSON SerDe: Athena's page on the OpenX SerDe warns that its row counts and
 * values can be non-deterministic and points to this one.
 */
export function dayTable(scope: Construct, id: string, props: DayTableProps): glue.CfnTable {
  const { location } = props;
  return new glue.CfnTable(scope, id, {
    catalogId: Aws.ACCOUNT_ID,
    databaseName: props.databaseName,
    tableInput: {
      name: props.name,
      description: props.description,
      tableType: 'EXTERNAL_TABLE',
      partitionKeys: [{ name: 'dt', type: 'string', comment: props.dayComment }],
      parameters: {
        classification: 'json',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2024-01-01,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': `${location}dt=\${dt}/`,
      },
      storageDescriptor: {
        location,
        columns: [...props.columns],
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serdeInfo: { serializationLibrary: HIVE_JSON_SERDE },
      },
    },
  });
}

/** The archive table's columns, as `functions/archive/record.ts` writes them. */
const COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'key', type: 'string' },
  { name: 'event_type', type: 'string' },
  { name: 'event_time', type: 'string', comment: 'ISO 8601 UTC, as Paubox reported it' },
  { name: 'archived_at', type: 'string' },
  { name: 'paubox_id', type: 'string' },
  { name: 'source_tracking_id', type: 'string' },
  { name: 'message_id', type: 'string' },
  { name: 'sender', type: 'string' },
  { name: 'sender_domain', type: 'string' },
  { name: 'recipient_domains', type: 'array<string>' },
  { name: 'recipient_fingerprints', type: 'array<string>' },
  { name: 'recipients', type: 'array<string>', comment: 'detail recipient and full only' },
  { name: 'subject', type: 'string', comment: 'detail full only' },
  { name: 'custom_headers', type: 'map<string,string>', comment: 'detail full only' },
  { name: 'detail', type: 'string' },
];

/** Where the archive is read from: a Glue database and table with partition projection, and an Athena workgroup. */
export interface ArchiveCatalogProps {
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  readonly detail: DetailLevel;
}

/**
 * The Glue table over the archive's day prefixes (partition projection: no crawler), an Athena workgroup with
 * encrypted results and a scan limit, and the saved queries. Created in the archive's own scope, beside its bucket.
 */
export class ArchiveCatalog {
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;
  public readonly workgroup: athena.CfnWorkGroup;
  /** The saved queries, by name; `parameters` lists the names of the `?` values in order. */
  public readonly namedQueries: Readonly<
    Record<QueryName, { readonly query: athena.CfnNamedQuery; readonly form: AthenaQuery }>
  >;
  public readonly databaseName: string;
  private readonly bucket: s3.IBucket;

  constructor(scope: Construct, { bucket, key, detail }: ArchiveCatalogProps) {
    this.bucket = bucket;
    // Unique per relay (stack, path and a hash), so two relays in one account and region never share a catalog.
    this.databaseName = `paubox_relay_${Names.uniqueResourceName(scope, { maxLength: 100, separator: '_' })}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    this.database = new glue.CfnDatabase(scope, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: 'Paubox alert relay: the deliverability archive' },
    });
    // Header names are archived in lower case, so map keys read the same whichever SerDe lower-cases them.
    this.table = dayTable(scope, 'Table', {
      databaseName: this.databaseName,
      name: EVENTS_TABLE,
      description: `Every relayed Paubox event, one JSON line each, at detail ${detail}`,
      location: `s3://${bucket.bucketName}/${ARCHIVE_PREFIX}`,
      columns: COLUMNS,
      dayComment: 'UTC day the event was archived',
    });
    this.table.node.addDependency(this.database);

    this.workgroup = new athena.CfnWorkGroup(scope, 'WorkGroup', {
      name: `${this.databaseName.replace(/_/g, '-')}-reports`.slice(0, 128),
      description: 'Runs the Paubox alert relay deliverability queries; results encrypted with the relay key',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    const queries = {} as Record<QueryName, { query: athena.CfnNamedQuery; form: AthenaQuery }>;
    for (const name of QUERY_NAMES) {
      const form = athenaForm(querySql(name));
      const query = new athena.CfnNamedQuery(scope, `Query-${name}`, {
        name: `paubox-relay ${name}`,
        description: `${QUERY_DESCRIPTIONS[name]}. Parameters, in order: ${form.parameters.join(', ')}`.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workgroup.name,
        queryString: form.sql,
      });
      query.node.addDependency(this.workgroup, this.database);
      queries[name] = { query, form };
    }
    this.namedQueries = queries;
  }

  /** Lets a function run the saved queries in the workgroup and read their results. */
  grantQuery(grantee: iam.IGrantable, key: kms.IKey): void {
    const stack = Stack.of(this.database);
    const workgroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workgroup.name,
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetNamedQuery',
      ],
      resourceArns: [workgroupArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${EVENTS_TABLE}` }),
      ],
    });
    // Spelled out rather than grantRead/grantReadWrite, whose actions are wildcards (s3:GetObject*, s3:List*).
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation', 's3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [this.bucket.arnForObjects(`${RESULTS_PREFIX}*`)],
    });
    key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}
