import type { Database } from '../../db/client.js';
import { GenerateUsageError } from './types.js';
import { DEFAULT_BATCH, type GenerateOptions, type GenerateProgress, type GenerateResult, generate, generatorRegistry } from './index.js';

/** `npx balai generate --help`. */
export function generateUsage(): string {
  const gens = generatorRegistry().map((g) => `  --${g.key.padEnd(14)} N  ${g.description}`);
  return [
    'Usage: npx balai generate [--tenant makassar] --citizens N --sessions N --audit N …',
    '',
    'Bulk data for benchmarks and load tests, written straight into the configured database',
    '(DATABASE_URL, else the embedded one in DATA_DIR), which must be migrated and hold the tenant',
    '(npx balai migrate, then npx balai seed or create-tenant). Not for a production installation.',
    '',
    'Generators (run in this order):',
    ...gens,
    '',
    'Options:',
    '  --tenant SLUG      tenant that receives the data (default: makassar)',
    '  --token-seed HEX   derive session tokens from this secret (default: random, never printed)',
    '  --seed N           seed of names, numbers and picks (default: random)',
    `  --batch N          rows per INSERT (default: ${DEFAULT_BATCH})`,
  ].join('\n');
}

export interface ParsedGenerateArgs extends GenerateOptions {
  help: boolean;
}

/** Parses `--key value` pairs; unknown options are an error that names the known ones. */
export function parseGenerateArgs(argv: string[]): ParsedGenerateArgs {
  const keys = new Set(generatorRegistry().map((g) => g.key));
  const out: ParsedGenerateArgs = { tenant: 'makassar', counts: {}, help: false };
  const whole = (name: string, v: string | undefined, min: number): number => {
    const n = Number(String(v ?? '').replace(/_/g, ''));
    if (v === undefined || !Number.isSafeInteger(n) || n < min) throw new GenerateUsageError(`--${name} needs a whole number ≥ ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new GenerateUsageError(`unexpected argument "${arg}"`);
    const name = m[1];
    const value = m[2] ?? argv[++i];
    if (keys.has(name)) out.counts[name] = whole(name, value, 0);
    else if (name === 'tenant') {
      if (!value || !/^[a-z0-9][a-z0-9-]{1,39}$/.test(value)) throw new GenerateUsageError(`--tenant needs a tenant slug, got ${value ?? 'nothing'}`);
      out.tenant = value;
    } else if (name === 'token-seed') {
      if (!value || !/^[A-Za-z0-9_-]{16,128}$/.test(value)) throw new GenerateUsageError('--token-seed needs 16 to 128 letters, digits, - or _');
      out.tokenSeed = value;
    } else if (name === 'seed') out.seed = whole(name, value, 1);
    else if (name === 'batch') out.batchSize = whole(name, value, 100);
    else throw new GenerateUsageError(`unknown option --${name} (generators: ${[...keys].join(', ')})`);
  }
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Draws progress on one terminal line (or a line every 2 s when the output is not a terminal). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: GenerateProgress): void; done(): void } {
  const tty = Boolean(stream.isTTY);
  let lastPrinted = 0;
  let current = '';
  let currentKey = '';
  const line = (p: GenerateProgress) => {
    const rate = p.done / Math.max(p.elapsedMs / 1000, 0.001);
    const phase = p.phase ? ` (${p.phase})` : '';
    return `  ${`${p.generator}${phase}`.padEnd(18)} ${fmt(p.done).padStart(11)} / ${fmt(p.total).padEnd(11)} ${fmt(Math.round(rate)).padStart(9)} rows/s  ${(p.elapsedMs / 1000).toFixed(1)} s`;
  };
  return {
    update(p) {
      const key = `${p.generator}:${p.phase ?? ''}`;
      if (tty) {
        if (currentKey && key !== currentKey) stream.write('\n');
        stream.write(`\r${line(p)}\x1b[K`);
      } else if (key !== currentKey || Date.now() - lastPrinted > 2_000 || p.done === p.total) {
        if (key !== currentKey && current) stream.write(`${current}\n`);
        stream.write(`${line(p)}\n`);
        lastPrinted = Date.now();
      }
      current = tty ? line(p) : '';
      currentKey = key;
    },
    done() {
      if (tty && currentKey) stream.write('\n');
      currentKey = '';
    },
  };
}

/** Runs the parsed command on an open, migrated database, with progress and a summary on `stream`. */
export async function runGenerateCommand(db: Database, args: GenerateOptions, stream: NodeJS.WriteStream = process.stderr): Promise<GenerateResult> {
  stream.write(`Generating data for tenant ${args.tenant} (${db.kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'})\n`);
  const printer = progressPrinter(stream);
  try {
    const result = await generate(db, args, (p) => printer.update(p));
    printer.done();
    for (const g of result.generators) {
      stream.write(`  ${g.key.padEnd(18)} ${fmt(g.inserted).padStart(11)} rows in ${(g.ms / 1000).toFixed(1)} s (${fmt(g.rowsPerSecond)} rows/s)\n`);
    }
    stream.write(`  vacuum + analyse   ${(result.vacuumMs / 1000).toFixed(1)} s; total ${(result.totalMs / 1000).toFixed(1)} s\n`);
    return result;
  } finally {
    printer.done();
  }
}
