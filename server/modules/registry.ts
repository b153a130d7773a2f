import type { AppInstance, AppDeps } from '../app.js';
import type { Permission } from '../../common/permissions.js';
import type { Generator } from '../platform/generate/index.js';

/** A public service a module offers on the tenant portal. */
export interface ServiceDescriptor {
  key: string;
  /** Icon name from the web icon set (e.g. `IconMessageReport`). */
  icon: string;
  title: { id: string; en: string };
  summary: { id: string; en: string };
  /** Path of the web page that starts the service. */
  path: string;
}

/** A navigation entry of the staff workspace, shown only to actors holding the permission. */
export interface NavEntry {
  key: string;
  title: { id: string; en: string };
  path: string;
  permission: Permission;
}

export interface ModuleDefinition {
  name: string;
  services: ServiceDescriptor[];
  nav: NavEntry[];
  routes(app: AppInstance, deps: AppDeps): void | Promise<void>;
  /** Bulk data generators of `npx balai generate` (e.g. `--complaints 1000000`), run after the platform's. */
  generators?: Generator[];
}

/** What the demo seed hands a module's seed function for one tenant. */
export interface ModuleSeedInput {
  tenantId: string;
  slug: string;
  /** Unit ids by unit code (and kecamatan/kelurahan units by region code). */
  unitIds: Map<string, string>;
  roleIds: Map<string, string>;
  /** Password hash of the demo accounts. */
  passwordHash: string;
  now: Date;
}
