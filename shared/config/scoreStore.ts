import { z } from 'zod';

/**
 * How the run's scores reach the score store (issue 11 §6). publish-scores cuts the score records into shards of at
 * most `shardSize` accounts; store-scores writes one shard per invocation (a Step Functions Distributed Map on AWS,
 * one shard after another locally), at most `maxConcurrency` shards at once.
 */
export const scoreStoreConfig = z
  .object({
    /**
     * Accounts per shard (2 score items each on AWS: the dated item and LATEST). 10,000: a shard of that size peaked
     * at 470 MB in a process of its own (`npm run bench -- --isolated`), one of 50,000 at 1,375 MB, over the 1,024 MB
     * of the store-scores Lambda; and a wave of 10 such shards (200,000 items) fits 13 minutes from 257 items/s.
     */
    shardSize: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Shards written at once by the Distributed Map on AWS (locally they run one after another). */
    maxConcurrency: z.number().int().min(1).max(1000).default(10),
  })
  .prefault({});
