import { z } from 'zod';

/**
 * The insights section of the scoring configuration: risk matrix, revenue tiers, playbooks, monitoring triggers and
 * alert digests. Defaults are the seeds' values and texts (004 health bands x size, 000 trends, 003 value segments),
 * so changing a playbook or a threshold is a config edit, never a code change.
 */

/** Defaults of one health-band x size playbook (seed 004). */
interface HealthPlaybookDefaults {
  id: string;
  title: string;
  actions: string[];
  cadence: string[];
  owners: string[];
}

/** Defaults of one trend (seed 000) or value-segment (seed 003) playbook. */
interface SegmentPlaybookDefaults {
  id: string;
  title: string;
  actions: string[];
  measure: string[];
}

const text = z.string().min(1);
const texts = (d: string[]) => z.array(text).default(d);

const healthPlaybook = (d: HealthPlaybookDefaults) =>
  z
    .strictObject({
      id: text.default(d.id),
      title: text.default(d.title),
      actions: texts(d.actions),
      cadence: texts(d.cadence),
      owners: texts(d.owners),
    })
    .prefault({});

const segmentPlaybook = (d: SegmentPlaybookDefaults) =>
  z
    .strictObject({
      id: text.default(d.id),
      title: text.default(d.title),
      actions: texts(d.actions),
      measure: texts(d.measure),
    })
    .prefault({});

/** Seed 004, "By Health Band and Company Size", verbatim. */
const healthPlaybooks = z
  .strictObject({
    High: z
      .strictObject({
        'Small Business': healthPlaybook({
          id: 'health-high-smb',
          title: 'High health (80+), Small Business: retain and expand',
          actions: [
            'Automated nurture and loyalty offers',
            'encourage annual prepay',
            'referral incentives',
            'in-product tips for premium features',
          ],
          cadence: ['Quarterly check-ins', 'scaled webinars'],
          owners: ['Growth CSM pod', 'Lifecycle marketing'],
        }),
        'Mid-Market': healthPlaybook({
          id: 'health-high-mid',
          title: 'High health (80+), Mid-Market: retain and expand',
          actions: [
            'QBRs focused on measurable ROI',
            'bundle upsell (adjacent modules)',
            'multi-thread contacts in key functions',
          ],
          cadence: ['Quarterly EBRs', 'exec sponsor twice yearly'],
          owners: ['Named CSM', 'Solutions consultant'],
        }),
        'Large/Enterprise': healthPlaybook({
          id: 'health-high-ent',
          title: 'High health (80+), Large/Enterprise: retain and expand',
          actions: [
            'Executive alignment',
            'multi-year renewals',
            'co-innovation roadmap',
            'reference and co-marketing programs',
          ],
          cadence: ['Bi-monthly steering committee', 'quarterly EBR'],
          owners: ['Strategic CSM', 'Account Director', 'Product liaison'],
        }),
      })
      .prefault({}),
    Medium: z
      .strictObject({
        'Small Business': healthPlaybook({
          id: 'health-medium-smb',
          title: 'Medium health (50-79), Small Business: stabilize and grow',
          actions: [
            'Proactive engagement boosts (training, office hours)',
            'pipeline acceleration incentives',
            'contact enrichment (find more users/admins)',
          ],
          cadence: ['Monthly touches', 'in-app journeys tied to feature adoption'],
          owners: ['Scaled CSM', 'Customer Marketing'],
        }),
        'Mid-Market': healthPlaybook({
          id: 'health-medium-mid',
          title: 'Medium health (50-79), Mid-Market: stabilize and grow',
          actions: [
            'Playbooks to increase activity (usage goals)',
            'introduce ROI dashboards',
            'targeted upsell aligned to realized value',
            'expand to new departments',
          ],
          cadence: ['Monthly CSM meetings', 'adoption KPIs tracked openly'],
          owners: ['Named CSM', 'Sales overlay'],
        }),
        'Large/Enterprise': healthPlaybook({
          id: 'health-medium-ent',
          title: 'Medium health (50-79), Large/Enterprise: stabilize and grow',
          actions: [
            'Executive business case refresh',
            'adoption recovery sprints',
            'value realization workshops',
            'optional professional services to accelerate outcomes',
          ],
          cadence: ['Bi-weekly working sessions during recovery', 'quarterly exec EBR'],
          owners: ['Strategic CSM', 'PS team', 'Executive sponsor'],
        }),
      })
      .prefault({}),
    Low: z
      .strictObject({
        'Small Business': healthPlaybook({
          id: 'health-low-smb',
          title: 'Low health (<50), Small Business: recover and prevent churn',
          actions: [
            'Rapid rescue—reactivation campaigns',
            'fast-track support resolution',
            'offer short-term discounts to reopen pipeline',
            'content to re-engage inactive users',
          ],
          cadence: ['Weekly outreach until engagement improves', '30-day rescue program'],
          owners: ['Renewal desk', 'Scaled CSM', 'Support lead'],
        }),
        'Mid-Market': healthPlaybook({
          id: 'health-low-mid',
          title: 'Low health (<50), Mid-Market: recover and prevent churn',
          actions: [
            'Churn-prevention SWAT—exec escalation when needed',
            'conduct root-cause interviews',
            'rebuild contact network',
            'pilot program for quick wins',
          ],
          cadence: ['Weekly operational reviews', '60–90 day turnaround plan'],
          owners: ['Named CSM', 'Sales manager', 'Support escalation manager'],
        }),
        'Large/Enterprise': healthPlaybook({
          id: 'health-low-ent',
          title: 'Low health (<50), Large/Enterprise: recover and prevent churn',
          actions: [
            'Executive intervention',
            'remediation charter with stakeholders (IT, Finance, Ops)',
            'close-the-gap plan with milestones',
            'targeted incentives (service credits)',
          ],
          cadence: ['Weekly steering committee', 'milestone tracking', 'formal risk register'],
          owners: ['Account Director', 'Strategic CSM', 'Exec sponsor'],
        }),
      })
      .prefault({}),
  })
  .prefault({});

/** Seed 000, "Segment-led playbooks", verbatim. */
const trendPlaybooks = z
  .strictObject({
    Up: segmentPlaybook({
      id: 'trend-up',
      title: 'Proactive expansion',
      actions: [
        'Early upsell talk tracks',
        'showcase advanced features',
        'tie discounts to adoption milestones',
      ],
      measure: ['Conversion to higher-tier plans', 'increased seat count'],
    }),
    Flat: segmentPlaybook({
      id: 'trend-flat',
      title: 'Nudge engagement',
      actions: [
        'Targeted activation campaigns',
        'in-app guides to core features',
        'small incentives for usage goals',
      ],
      measure: ['Lift in average daily events/minutes', 'transition to Up'],
    }),
    Down: segmentPlaybook({
      id: 'trend-down',
      title: 'Retention rescue',
      actions: [
        'Trigger CSM outreach when freshness deteriorates',
        'resolve friction',
        're-onboarding flows',
      ],
      measure: ['Reduction in days_since_last_event', 'NPS recovery', 'churn avoidance'],
    }),
  })
  .prefault({});

/** Seed 003, recommendations per value segment, verbatim; measures follow its conclusion (lifetime value, churn). */
const valueSegmentPlaybooks = z
  .strictObject({
    'High value': segmentPlaybook({
      id: 'segment-high',
      title: 'High-value customers: nurture, advocacy and beta programs',
      actions: [
        'Nurture and Retain: Proactively engage with these customers to ensure their continued satisfaction and success',
        'Advocacy Programs: Encourage them to become brand advocates and participate in case studies or testimonials',
        'Beta Programs: Invite them to exclusive beta programs for new features',
      ],
      measure: ['Retention of the segment', 'advocacy and beta participation'],
    }),
    'Medium value': segmentPlaybook({
      id: 'segment-medium',
      title: 'Medium-value customers: targeted engagement and training',
      actions: [
        'Targeted Engagement: Develop targeted campaigns to increase their usage of key features',
        'Training and Onboarding: Offer additional training and onboarding resources to help them get more value from the product',
        'Value Realization: Work with them to understand their goals and how the product can help them achieve those goals',
      ],
      measure: ['Movement into the High-Value segment', 'usage of key features'],
    }),
    'Low value': segmentPlaybook({
      id: 'segment-low',
      title: 'Low-value customers: re-engage or right-size',
      actions: [
        'Re-engagement Campaigns: Launch re-engagement campaigns to bring them back to the product',
        'Feedback Collection: Reach out to them to understand their reasons for low engagement and gather feedback for product improvement',
        'Down-sell or Off-board: If re-engagement efforts fail, consider down-selling them to a more suitable plan or off-boarding them',
      ],
      measure: ['Re-engagement rate', 'churn avoided or right-sized plans'],
    }),
  })
  .prefault({});

/** The insights configuration section (`insights` in the config file); every field has the seeds' default. */
export const insightsConfig = z
  .strictObject({
    /** Risk warning matrix (004): industry x size high-risk rates with Wilson intervals. */
    riskMatrix: z
      .strictObject({
        /** Cells with fewer scored accounts than this are marked thin. */
        minCellCount: z.number().int().min(1).default(10),
        /** Confidence level of the Wilson score interval (0.95 -> z = 1.96). */
        confidenceLevel: z.number().gt(0).lt(1).default(0.95),
      })
      .prefault({}),
    /** Seed 004 6-month revenue contribution: pipeline x p_win + share x won x (base + slope x p_win). */
    revenue: z
      .strictObject({
        upsellShare: z.number().min(0).default(0.5),
        upsellBase: z.number().min(0).default(0.05),
        upsellPerPWin: z.number().min(0).default(0.25),
        /** Tier C below this quantile of predicted revenue, Tier A above the upper one. */
        lowerQuantile: z.number().gt(0).lt(1).default(0.25),
        upperQuantile: z.number().gt(0).lt(1).default(0.75),
      })
      .prefault({}),
    playbooks: z
      .strictObject({
        /**
         * Size playbook used when account_size_segment is Unknown or NULL. Default Small Business: the scaled
         * motion commits no named resources until the account's size is known.
         */
        unknownSizeUses: z
          .enum(['Small Business', 'Mid-Market', 'Large/Enterprise'])
          .default('Small Business'),
        health: healthPlaybooks,
        trend: trendPlaybooks,
        valueSegment: valueSegmentPlaybooks,
      })
      .prefault({}),
    /** Monitoring triggers (004 "Monitoring and Triggers", 000 recency and NPS alerts). */
    triggers: z
      .strictObject({
        /** Rescue when days_since_last_activity is above this. */
        maxDaysSinceActivity: z.number().min(0).default(14),
        /** Rescue when total_activities_30d is below this. */
        minActivities30d: z.number().min(0).default(3),
        /** Enrichment when total_contacts is below this. */
        minContacts: z.number().min(0).default(20),
        /** Enrichment when contacts_with_email is below this. */
        minContactsWithEmail: z.number().min(0).default(15),
        /** Executive review when current_pipeline_amount is unchanged for at least this many days. */
        pipelineStagnantDays: z.number().int().min(1).default(30),
        /** Whether a pipeline stuck at 0 counts as stagnant (default no: there is no open pipeline to stall). */
        stagnantIncludesZeroPipeline: z.boolean().default(false),
        /** Alert when days_since_last_event grew by at least this many days more than the days between runs. */
        eventGapJumpDays: z.number().min(0).default(14),
        /** Alert when avg_nps_rating fell by at least this many points since the previous run. */
        npsDropPoints: z.number().gt(0).default(1),
      })
      .prefault({}),
    /** Alert digests: one message per segment per daily run. */
    alerts: z
      .strictObject({
        /** A segment is high-risk when its (non-thin) high-risk rate is at least this. */
        highRiskRate: z.number().min(0).max(1).default(0.5),
        /** Accounts listed per message, ranked by revenue at risk. */
        topAccounts: z.number().int().min(1).default(10),
        /** An account is not alerted again for the same reason within this many days. */
        cooldownDays: z.number().int().min(0).default(7),
        /** Alerts are held back when the newest input is older than this many days. */
        maxInputAgeDays: z.number().int().min(0).default(3),
        /**
         * A local run whose --as-of is more than staleAsOfFactor x maxInputAgeDays days after the newest data date
         * is refused unless --allow-stale (default 2 x 3 = 6 days).
         */
        staleAsOfFactor: z.number().min(1).default(2),
        /** Prefix of every subject. */
        subjectPrefix: z.string().max(20).default('[CVS]'),
      })
      .prefault({}),
  })
  .prefault({});

/** The validated insights section with every default filled in. */
export type InsightsConfig = z.infer<typeof insightsConfig>;
