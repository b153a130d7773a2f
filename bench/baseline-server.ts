/**
 * The baselines of `npm run bench`: a bare Fastify 5 server, with no plugins, hooks or schemas,
 * doing the least database work a route can do, on the same database and with the same pool size
 * as the app. Each app scenario is reported as a ratio to one of these, measured in the same run.
 *
 *   GET  /bare                 no database: the framework's ceiling on this machine
 *   GET  /users/:id            one primary-key SELECT of a user row by (tenant_id, id)
 *   POST /writes               one INSERT of a small row (uuidv7 key, jsonb body)
 *
 * Environment: DATABASE_URL, DATABASE_POOL_SIZE (20), PORT, HOST, BENCH_TENANT_ID.
 */
import Fastify from 'fastify';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

const url = process.env.DATABASE_URL;
const tenantId = process.env.BENCH_TENANT_ID;
if (!url || !tenantId) {
  console.error('baseline-server needs DATABASE_URL and BENCH_TENANT_ID');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 20), application_name: 'balai-bench-baseline' });
pool.on('error', () => {});

// The table the write baseline appends to, shaped like a typical module row; it lives only in the
// bench database.
await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_writes (
  tenant_id uuid NOT NULL, id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id))`);

const app = Fastify({ logger: false });

app.get('/bare', async () => ({ status: 'ok' }));

app.get<{ Params: { id: string } }>('/users/:id', async (req, reply) => {
  const { rows } = await pool.query('SELECT id, name, kind, status, locale FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, req.params.id]);
  if (!rows[0]) return reply.code(404).send({ status: 404 });
  return rows[0];
});

app.post<{ Body: unknown }>('/writes', async (req, reply) => {
  const id = uuidv7();
  await pool.query('INSERT INTO bench_baseline_writes (tenant_id, id, body) VALUES ($1, $2, $3)', [tenantId, id, JSON.stringify(req.body ?? {})]);
  return reply.code(201).send({ id });
});

await app.listen({ port: Number(process.env.PORT ?? 3201), host: process.env.HOST ?? '127.0.0.1' });

async function stop(): Promise<void> {
  await app.close();
  await pool.end();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
