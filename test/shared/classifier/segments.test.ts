import { describe, expect, it } from 'vitest';
import {
  BEHAVIOUR_CLUSTER_NAMES,
  nameBehaviourClusters,
  nameValueSegments,
} from '../../../shared/classifier/segmentNames.ts';
import { assignSegments, fitSegments } from '../../../shared/classifier/segments.ts';
import type { AccountFeatures } from '../../../shared/features/columns.ts';
import { createRng } from '../../../shared/models/index.ts';
import { account } from '../../helpers/accounts.ts';

/** Three well-separated groups of accounts (light, middle, heavy users), 30 each. */
function threeGroups(): AccountFeatures[] {
  const rng = createRng(11);
  const rows: AccountFeatures[] = [];
  [1, 30, 900].forEach((scale, g) => {
    for (let i = 0; i < 30; i++) {
      const j = () => 0.9 + 0.2 * rng.next();
      rows.push(
        account({
          account_id: `g${g}-${i}`,
          has_product: true,
          sum_minutes: 10 * scale * j(),
          sum_events: 50 * scale * j(),
          count_active_days: 2 * Math.sqrt(scale) * j(),
          count_associated_visitors: Math.sqrt(scale) * j(),
          count_active_visitors: 3 * Math.sqrt(scale) * j(),
          avg_nps_rating: i % 5 === 0 ? null : 3 + g * 3,
          n_features_used: 2 * Math.sqrt(scale) * j(),
          total_feature_clicks: 5 * scale * j(),
          days_since_last_event: 100 / (g + 1),
        }),
      );
    }
  });
  return rows;
}

describe('Function: nameValueSegments', () => {
  it('names clusters High / Medium / Low value by the mean of their standardized centroid', () => {
    // Prepare
    const centers = [
      [0, 0.5],
      [2, 1],
      [-1, -2],
    ];
    // Act
    const names = nameValueSegments(centers, ['sum_minutes', 'avg_nps_rating']);
    // Assess
    expect(names).toEqual(['Medium value', 'High value', 'Low value']);
  });
});

describe('Function: nameBehaviourClusters', () => {
  it('names five clusters by dominant traits, each name once', () => {
    // Prepare: features engagement (minutes, days), adoption (features, clicks), recency, NPS
    const features = [
      'sum_minutes',
      'count_active_days',
      'n_features_used',
      'total_feature_clicks',
      'days_since_last_event',
      'avg_nps_rating',
    ];
    const centers = [
      [0.1, 0.1, 0, 0, -0.5, 0], // average, recent -> Moderate engagement, consistent use
      [-3, -3, -2, -2, 2, 0], // nothing, stale -> Dormant
      [1.5, 1.5, 1.2, 1.2, -0.8, 0.5], // heavy, broad -> High engagement, broad adoption
      [0.3, 0.3, 0.2, 0.2, 1.5, 0], // used to engage, now stale -> Intermittent, lapsing
      [-1, -1, -0.5, -0.5, 0, -0.3], // light -> Low engagement, at risk
    ];
    // Act
    const names = nameBehaviourClusters(centers, features);
    // Assess
    expect(names).toEqual([
      'Moderate engagement, consistent use',
      'Dormant',
      'High engagement, broad adoption',
      'Intermittent, lapsing',
      'Low engagement, at risk',
    ]);
    expect(new Set(names).size).toBe(BEHAVIOUR_CLUSTER_NAMES.length);
  });
});

describe('Function: fitSegments', () => {
  it('gives every account the same segment name when the rows come in another order', () => {
    // Prepare
    const rows = threeGroups();
    const shuffled = [...rows].reverse();
    const opts = { nInit: 5, randomState: 3 };
    // Act
    const a = fitSegments(rows, 'value', opts);
    const b = fitSegments(shuffled, 'value', opts);
    const byIdA = new Map(rows.map((r, i) => [r.account_id, assignSegments(a, rows)[i]]));
    const namesB = assignSegments(b, shuffled);
    // Assess
    shuffled.forEach((r, i) => {
      expect(namesB[i]).toBe(byIdA.get(r.account_id));
    });
    expect(byIdA.get('g2-0')).toBe('High value');
    expect(byIdA.get('g1-0')).toBe('Medium value');
    expect(byIdA.get('g0-0')).toBe('Low value');
    expect([...a.sizes].sort()).toEqual([30, 30, 30]);
  });

  it('imputes a missing NPS with the training median and stores it in the model', () => {
    // Prepare: NPS present: 24 x 3, 24 x 6, 24 x 9 -> median 6
    const rows = threeGroups();
    // Act
    const m = fitSegments(rows, 'value', { nInit: 2, randomState: 0 });
    // Assess
    const f = m.prep.features.indexOf('avg_nps_rating');
    expect(m.prep.impute[f]).toBe(6);
    expect(m.prep.log1p[f]).toBe(false);
    expect(m.prep.log1p[m.prep.features.indexOf('sum_minutes')]).toBe(true);
    expect(JSON.stringify(m)).not.toContain('"labels"');
  });
});
