import type { Database } from '../../db/client.js';

export interface GenerateTenant {
  id: string;
  slug: string;
  regionCode: string;
}

/** What a generator works with. */
export interface GeneratorContext {
  db: Database;
  tenant: GenerateTenant;
  /** "Now" of the generated history: timestamps lie before it, session expiries after it. */
  now: Date;
  /** Seed of the row hashes (names, phones, picks): the same seed gives the same data. */
  seed: number;
  /** Seed of the session tokens; whoever knows it can compute them (see generatedSessionToken). */
  tokenSeed: string;
  /** Session lifetime of generated sessions, in hours. */
  sessionTtlHours: number;
  /** Rows per INSERT statement. */
  batchSize: number;
  /** Reports progress: rows done so far in this generator (and an optional phase, e.g. `seal`). */
  progress(done: number, phase?: string): void;
}

export interface Generator {
  /** Command-line option without dashes, e.g. `citizens` for `--citizens 100000`. */
  key: string;
  /** One line for `npx balai generate --help`. */
  description: string;
  /** Tables it writes, vacuumed and analysed after generation so plans see the new sizes. */
  tables: string[];
  /** Makes `count` rows; returns how many were inserted. */
  run(ctx: GeneratorContext, count: number): Promise<number>;
}

/** A refusal worded for the operator (unknown tenant or generator, bad count, missing prerequisite). */
export class GenerateError extends Error {}

/** A wrong command line (unknown option, bad number). */
export class GenerateUsageError extends Error {}
