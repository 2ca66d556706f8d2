import { afterEach, describe, expect, it } from 'vitest';
import { awsEnvFromProcess, getStringFromEnv } from '../../../functions/commons/env.ts';

describe('Function: getStringFromEnv', () => {
  afterEach(() => {
    delete process.env.CVS_TEST_VAR;
  });

  it('throws naming the variable when it is not set', () => {
    // Act & Assess
    expect(() => getStringFromEnv('CVS_TEST_VAR')).toThrow(
      'environment variable CVS_TEST_VAR is not set',
    );
  });

  it('accepts an empty value only when allowed', () => {
    // Prepare
    process.env.CVS_TEST_VAR = '';

    // Act & Assess
    expect(getStringFromEnv('CVS_TEST_VAR', true)).toBe('');
    expect(() => getStringFromEnv('CVS_TEST_VAR')).toThrow('CVS_TEST_VAR');
  });
});

describe('Function: awsEnvFromProcess', () => {
  it('names the first missing resource variable', () => {
    // Act & Assess
    expect(() => awsEnvFromProcess()).toThrow('environment variable INPUT_BUCKET is not set');
  });
});
