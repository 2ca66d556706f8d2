import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../../shared/adapters/aws/ports.ts';
import { tracer } from './powertools/tracer.ts';

/** The SDK clients of a Lambda, made once at module scope and traced by X-Ray. */
export const clients: AwsClients = {
  s3: tracer.captureAWSv3Client(new S3Client({})),
  athena: tracer.captureAWSv3Client(new AthenaClient({})),
  dynamodb: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  sns: tracer.captureAWSv3Client(new SNSClient({})),
};
