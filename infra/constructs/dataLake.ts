import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type ColumnType, TABLES, type TableDef } from '../../shared/contract/tables.ts';
import { STAGING_ROOT } from '../../shared/pipeline/runFolder.ts';

/** Glue name of a contract table's raw (string-typed) table: `raw_<view>`, Salesforce views prefixed `salesforce__`. */
export function rawTableName(t: TableDef): string {
  return `raw_${t.source === 'pendo' ? t.name : `salesforce__${t.name}`}`;
}

/** Hive type of a contract column in a Parquet table. */
const HIVE: Record<ColumnType, string> = {
  varchar: 'string',
  bigint: 'bigint',
  integer: 'int',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/** Key prefix of Athena result files in the Athena results bucket (the workgroup's output location). */
export const ATHENA_RESULTS_PREFIX = 'results/';
/** Key prefix of temporary tables (csvToParquet) in the Athena results bucket. */
export const ATHENA_SCRATCH_PREFIX = 'scratch/';
/** Folder under a run where the analyst-facing Parquet copy of account_scores is written. */
export const ACCOUNT_SCORES_DATASET = 'account_scores.parquet/';

/** Data lake settings. */
export interface DataLakeProps {
  /** Existing exports bucket name; the construct creates one when absent. */
  readonly exportBucketName?: string;
  /** Key prefix of the exports, '' or ending with '/'. */
  readonly exportPrefix: string;
  /** Export file format the raw Glue tables read. */
  readonly exportFormat: 'csv' | 'parquet';
  readonly glueDatabase: string;
  readonly workGroup: string;
  /** Per-query bytes-scanned cut-off, bytes. */
  readonly bytesScannedCutoff: number;
  /** Days Athena result files are kept. */
  readonly athenaResultsExpiryDays: number;
  /** Columns of the analyst table over account_scores (all string in the Parquet copy). */
  readonly resultColumns: readonly string[];
}

/** Buckets (exports, results, Athena results, access logs), the Glue database and tables, the Athena workgroup. */
export class DataLake extends Construct {
  readonly exportBucket: s3.IBucket;
  readonly resultsBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly workGroup: athena.CfnWorkGroup;
  readonly tables: glue.CfnTable[] = [];

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
    };
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secure,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    const logged = (name: string) => ({
      ...secure,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${name}/`,
    });
    this.exportBucket = props.exportBucketName
      ? s3.Bucket.fromBucketName(this, 'ExportBucket', props.exportBucketName)
      : new s3.Bucket(this, 'ExportBucket', { ...logged('exports'), versioned: true });
    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      ...logged('results'),
      versioned: true, // models/champion.json can be rolled back to an earlier version
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(365) },
        // A failed execution's staging prefix is deleted by its Catch path; this removes what a failed delete left.
        {
          id: 'StagingLeftovers',
          prefix: STAGING_ROOT,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    this.athenaResultsBucket = new s3.Bucket(this, 'AthenaResultsBucket', {
      ...logged('athena-results'),
      lifecycleRules: [{ expiration: Duration.days(props.athenaResultsExpiryDays) }],
    });

    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.glueDatabase,
        description: 'CVS: raw exports, validated views, account scores',
      },
    });
    for (const t of TABLES) this.tables.push(this.rawTable(t, props));
    this.tables.push(this.scoresTable(props));

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroup,
      description: 'CVS queries: enforced result location, encryption and bytes-scanned cut-off',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.athenaResultsBucket.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /** The Glue table over one export folder `<prefix><source>/<name>/`. */
  private rawTable(t: TableDef, props: DataLakeProps): glue.CfnTable {
    const location = this.exportBucket.s3UrlForObject(
      `${props.exportPrefix}${t.source}/${t.name}/`,
    );
    const csv = props.exportFormat === 'csv';
    const table = new glue.CfnTable(this, `Raw${pascal(rawTableName(t))}`, {
      catalogId: Stack.of(this).account,
      databaseName: props.glueDatabase,
      tableInput: {
        name: rawTableName(t),
        description: `${t.source} ${t.name} export, ${t.grain}; ${csv ? 'every column string: validation casts' : 'Parquet, contract types'}`,
        tableType: 'EXTERNAL_TABLE',
        parameters: csv
          ? { classification: 'csv', 'skip.header.line.count': '1' }
          : { classification: 'parquet' },
        storageDescriptor: {
          location,
          // CSV: string columns, so a bad value reaches validation's try_cast instead of becoming a silent NULL.
          columns: t.columns.map((c) => ({ name: c.name, type: csv ? 'string' : HIVE[c.type] })),
          ...(csv
            ? {
                inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
                outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
                serdeInfo: {
                  serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
                  parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
                },
              }
            : {
                inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
                outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
                serdeInfo: {
                  serializationLibrary:
                    'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
                },
              }),
        },
      },
    });
    table.node.addDependency(this.database);
    return table;
  }

  /** The analyst table over every run's Parquet account_scores, partitioned by run date (partition projection). */
  private scoresTable(props: DataLakeProps): glue.CfnTable {
    const table = new glue.CfnTable(this, 'AccountScoresTable', {
      catalogId: Stack.of(this).account,
      databaseName: props.glueDatabase,
      tableInput: {
        name: 'account_scores',
        description:
          'account scores of every run (runs/<as_of>/account_scores.parquet/), one partition per run date',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'as_of', type: 'string' }],
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.as_of.type': 'date',
          'projection.as_of.format': 'yyyy-MM-dd',
          'projection.as_of.range': '2020-01-01,NOW',
          'projection.as_of.interval': '1',
          'projection.as_of.interval.unit': 'DAYS',
          'storage.location.template': `${this.resultsBucket.s3UrlForObject('runs')}/\${as_of}/${ACCOUNT_SCORES_DATASET}`,
        },
        storageDescriptor: {
          location: this.resultsBucket.s3UrlForObject('runs/'),
          columns: props.resultColumns.map((name) => ({ name, type: 'string' })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          },
        },
      },
    });
    table.node.addDependency(this.database);
    return table;
  }
}

/** PascalCase of a snake/kebab name, for logical IDs. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
