import { dayText } from './format.ts';

/** All-time usage totals of a Pendo account or visitor (day numbers; first/last -1 when never active). */
export interface UsageTotals {
  activeDays: number;
  activeMonths: number;
  minutes: number;
  events: number;
  records: number;
  firstDay: number;
  lastDay: number;
}

/**
 * The dbt_pendo all-time usage columns shared by pendo__account and pendo__visitor: counts and sums, averages per
 * active day (0 without one, as the package coalesces them) and first/last event dates (NULL when never active).
 */
export function usageColumns(u: UsageTotals) {
  return {
    count_active_days: u.activeDays,
    count_active_months: u.activeMonths,
    sum_minutes: u.minutes,
    sum_events: u.events,
    count_event_records: u.records,
    average_daily_minutes: u.activeDays > 0 ? u.minutes / u.activeDays : 0,
    average_daily_events: u.activeDays > 0 ? u.events / u.activeDays : 0,
    first_event_on: u.firstDay >= 0 ? dayText(u.firstDay) : null,
    last_event_on: u.lastDay >= 0 ? dayText(u.lastDay) : null,
  };
}
