import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { tenants } from './schema.js';

export type Tenant = typeof tenants.$inferSelect;

/** How long resolved tenants are reused before being read again (settings propagate within it). */
const CACHE_TTL_MS = 5_000;

/**
 * Resolves the tenant of a request from its host name, else its /t/{slug} prefix, else the default.
 * Each process keeps a short-lived copy of the (small) tenant list; nothing depends on it being
 * shared across processes.
 */
export class TenantRegistry {
  private cache?: { at: number; list: Tenant[] };
  /** The read in flight: requests that find the copy too old share it (not one query each). */
  private loading?: Promise<Tenant[]>;
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly defaultSlug: string,
  ) {}

  async all(): Promise<Tenant[]> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_TTL_MS) return this.cache.list;
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.db.orm
        .select()
        .from(tenants)
        .where(eq(tenants.active, true))
        .then((list) => {
          // A copy read before an invalidation is not kept.
          if (generation === this.generation) this.cache = { at: now, list };
          return list;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = undefined;
        });
      this.loading = loading;
    }
    return this.loading;
  }

  invalidate(): void {
    this.cache = undefined;
    this.loading = undefined;
    this.generation++;
  }

  async bySlug(slug: string): Promise<Tenant | undefined> {
    return (await this.all()).find((t) => t.slug === slug);
  }

  async resolve(host: string | undefined, slug: string | undefined): Promise<Tenant | undefined> {
    const list = await this.all();
    if (slug) return list.find((t) => t.slug === slug);
    const hostname = (host ?? '').toLowerCase().replace(/:\d+$/, '');
    return list.find((t) => t.hosts.includes(hostname)) ?? list.find((t) => t.slug === this.defaultSlug) ?? list[0];
  }
}
