import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU time spent per request, by the server process (its whole process group) and by the
 * PostgreSQL backends of its pool, read from /proc (Linux). Unlike req/s, CPU per request does not
 * depend on what else runs on the machine: it says where the cost of a scenario is.
 */

/** Clock ticks per second of /proc/<pid>/stat on Linux (USER_HZ, fixed at 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

interface Stat {
  pgrp: number;
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); pgrp is field 5, utime 14, stime 15.
    return { pgrp: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

export const cpuAccountingAvailable = (() => {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** CPU ticks of every process in a process group. */
function groupsTicks(pgids: number[]): Map<number, number> {
  return new Map(pgids.flatMap((p) => [...groupTicks(p)]));
}

function groupTicks(pgid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.pgrp === pgid) out.set(Number(name), s.ticks);
  }
  return out;
}

function pidTicks(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) out.set(pid, s.ticks);
  }
  return out;
}

/** Ticks used between two snapshots; processes that appeared count from zero. */
function delta(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks;
}

export interface CpuSnapshot {
  server: Map<number, number>;
  database: Map<number, number>;
  harness: NodeJS.CpuUsage;
}

export interface CpuPerRequest {
  /** Milliseconds of CPU per completed request. */
  serverMs: number;
  databaseMs: number;
  loadGeneratorMs: number;
}

/** Reads the CPU counters of a server's process group and of its database backends. */
export class CpuMeter {
  constructor(
    private readonly adminUrl: string,
    private readonly database: string,
  ) {}

  private async backendPids(applicationName: string): Promise<number[]> {
    const c = new pg.Client({ connectionString: this.adminUrl, application_name: 'balai-bench-meter' });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [this.database, applicationName]);
      return rows.map((r) => Number(r.pid));
    } finally {
      await c.end();
    }
  }

  /** `serverPgids`: the process group of each server process under load (one or two apps). */
  async snapshot(serverPgids: number[], applicationName: string): Promise<CpuSnapshot> {
    const pids = await this.backendPids(applicationName);
    return { server: groupsTicks(serverPgids), database: pidTicks(pids), harness: process.cpuUsage() };
  }

  async since(before: CpuSnapshot, serverPgids: number[], applicationName: string, requests: number): Promise<CpuPerRequest> {
    const harness = process.cpuUsage(before.harness);
    const pids = await this.backendPids(applicationName);
    const after = { server: groupsTicks(serverPgids), database: pidTicks([...new Set([...pids, ...before.database.keys()])]) };
    const perReq = (ticks: number) => Math.round(((ticks * 1000) / TICKS_PER_SECOND / Math.max(requests, 1)) * 1000) / 1000;
    return {
      serverMs: perReq(delta(before.server, after.server)),
      databaseMs: perReq(delta(before.database, after.database)),
      loadGeneratorMs: Math.round(((harness.user + harness.system) / 1000 / Math.max(requests, 1)) * 1000) / 1000,
    };
  }
}
