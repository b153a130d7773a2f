import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Child processes of the harness. Each runs in its own process group (npx → tsx → node), so that
 * stopping one stops all of its descendants; every group still alive is killed when the harness
 * exits, is interrupted or fails.
 */
export interface Child {
  name: string;
  proc: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

const live = new Set<Child>();

export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Child {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'w');
  const proc = spawn(command, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  const child: Child = { name, proc, logFile, exited };
  live.add(child);
  void exited.then(() => {
    if (!groupAlive(child)) live.delete(child);
  });
  return child;
}

function groupAlive(child: Child): boolean {
  if (!child.proc.pid) return false;
  try {
    process.kill(-child.proc.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (!child.proc.pid) return;
  try {
    process.kill(-child.proc.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops a child's whole group: SIGTERM (graceful stop), then SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(child)) {
    if (Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      await sleep(100);
      break;
    }
    await sleep(25);
  }
  live.delete(child);
}

/** Kills every child group still alive, synchronously (usable from an exit handler). */
export function killAllChildren(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
  live.clear();
}

let handlersInstalled = false;
/** Kills the children however the harness ends. */
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping the benchmark`);
      killAllChildren();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (e) => {
    console.error(e);
    killAllChildren();
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    console.error(e);
    killAllChildren();
    process.exit(1);
  });
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls `url` until it answers 200; fails early when the child exits. Returns ms since `since`. */
export async function waitForOk(url: string, child: Child, since: number, timeoutMs: number): Promise<number> {
  let exitCode: number | null | undefined;
  void child.exited.then((c) => {
    exitCode = c;
  });
  const deadline = since + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${child.name} exited (code ${exitCode}) before ${url} answered:\n${tail(child.logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) throw new Error(`${child.name}: ${url} did not answer 200 within ${timeoutMs} ms:\n${tail(child.logFile)}`);
    await sleep(20);
  }
}

/** Runs a command to completion with inherited output; rejects on a non-zero exit. */
export async function runToEnd(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const proc = spawn(command, args, { env, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  const child: Child = { name, proc, logFile: '', exited: new Promise((r) => proc.once('exit', (c) => r(c))) };
  live.add(child);
  const code = await child.exited;
  live.delete(child);
  if (code !== 0) throw new Error(`${name} failed (exit code ${code})`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server entry that `npm start` runs; the harness builds it first (`npm run build:server`). */
export const SERVER_ENTRY = 'dist/server/main.mjs';

/**
 * Node flags of the server, as `npm start` gives them (package.json). A larger young generation:
 * a busy write route allocates fast (request and result objects, JSON of batches), and with the
 * default 16 MB semi-space the scavenger took 12 % of the app's CPU in health-register-spread;
 * with 32 MB the app's CPU per registration fell from 0.44 to 0.38 ms (npm run bench).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** Bundles the server as `npm install` does, so that the bench measures the current sources. */
export function buildServer(): void {
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
}
