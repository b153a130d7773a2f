import type { LoadRequest } from '../lib/load.js';
import { complaintScenarios } from './complaints.js';
import { complaintMapScenarios } from './complaintsMap.js';
import { healthScenarios } from './health.js';
import { platformScenarios } from './platform.js';

/** What the generated data gives scenarios to work with. */
export interface BenchData {
  tenant: { id: string; slug: string };
  /** Tokens of the generated sessions (cookie `balai_<slug>`). */
  sessionTokens: string[];
  /** Users owning those sessions, in the same order. */
  userIds: string[];
}

export interface Scenario {
  name: string;
  description: string;
  /** Which server it loads: the real app, or the bare baseline server. */
  server: 'app' | 'baseline';
  request(data: BenchData): LoadRequest;
  /** The scenario whose req/s this one is compared with (measured in the same run). */
  baseline?: string;
  /** Target in full mode: req/s ≥ minRatio × the baseline's req/s. */
  minRatio?: number;
  /** Where the target comes from, e.g. "issue 3". */
  targetSource?: string;
  /** Offered load in req/s over all connections (autocannon -R); absent: saturation. */
  rate?: number;
  /**
   * How an offered `rate` arrives: `burst` (autocannon: each connection sends its share at the
   * start of every second) or `even` (one request every 1/rate seconds, over up to `connections`
   * connections: many clients acting at their own moments).
   */
  pacing?: 'burst' | 'even';
  /** Connections of this scenario instead of the run's (e.g. fewer at an offered rate). */
  connections?: number;
  /** Throughput target in full mode (req/s), absolute. */
  minReqPerSec?: number;
  /**
   * App processes the load is spread over (default 1): with 2, a second app process runs on the
   * same database, as behind a load balancer, and half the connections go to each.
   */
  processes?: 1 | 2;
  /**
   * Runs after the scenario's last round: checks what the load wrote (e.g. queue numbers without
   * a gap or a duplicate). Returns its finding for the report, and whether it holds.
   */
  verify?(ctx: ScenarioSetup): Promise<{ ok: boolean; note: string }>;
  /** Latency targets in full mode (ms), judged on the measured round's exact percentiles. */
  maxP95Ms?: number;
  maxP99Ms?: number;
  /**
   * Runs once before the scenario's first load (sign in, read ids, walk to a deep page), against
   * the app started for the run; what it finds is kept by the scenario for `request`.
   */
  setup?(ctx: ScenarioSetup): Promise<void>;
}

export interface ScenarioSetup {
  appUrl: string;
  /** PostgreSQL URL of the bench database (read-only use: ids, counts). */
  databaseUrl: string;
  data: BenchData;
  smoke: boolean;
}

/**
 * Every scenario, in the order they run: baselines before what is compared with them. A module adds
 * a file beside this one (e.g. complaints.ts) and appends its list here.
 */
export const scenarios: Scenario[] = [...platformScenarios, ...complaintScenarios, ...complaintMapScenarios, ...healthScenarios];

/** Cycles through a list from a random starting point (every connection shares the cursor). */
export function rotate<T>(list: readonly T[]): () => T {
  if (list.length === 0) throw new Error('nothing to rotate over');
  let i = Math.floor(Math.random() * list.length);
  return () => {
    i = i + 1 === list.length ? 0 : i + 1;
    return list[i];
  };
}
