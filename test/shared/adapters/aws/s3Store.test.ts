import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseS3Uri, S3Store } from '../../../../shared/adapters/aws/s3Store.ts';
import { ObjectNotFoundError } from '../../../../shared/errors.ts';

const s3Mock = mockClient(S3Client);
const store = () => new S3Store(new S3Client({ region: 'eu-west-1' }), 'results', 'cvs');

describe('Class: S3Store', () => {
  afterEach(() => s3Mock.reset());

  it('throws ObjectNotFoundError when S3 answers NoSuchKey', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand)
      .rejects(
        Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
      );

    // Act & Assess
    await expect(store().get('models/champion.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'results',
      Key: 'cvs/models/champion.json',
    });
  });

  it('answers false from exists when HEAD returns 404', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(
      Object.assign(new Error('NotFound'), {
        name: 'NotFound',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act & Assess
    expect(await store().exists('x.csv')).toBe(false);
  });

  it('locates keys under its prefix and scopes to a run folder', () => {
    // Act & Assess
    expect(store().locate('a.csv')).toBe('s3://results/cvs/a.csv');
    expect(store().scoped('runs/2024-10-31/').locate('a.csv')).toBe(
      's3://results/cvs/runs/2024-10-31/a.csv',
    );
  });
});

describe('Function: parseS3Uri', () => {
  it('splits bucket and key', () => {
    // Act & Assess
    expect(parseS3Uri('s3://b/k/x.csv')).toEqual({ bucket: 'b', key: 'k/x.csv' });
    expect(() => parseS3Uri('/tmp/x.csv')).toThrow('not an s3:// location');
  });
});
