import { complaintsModule } from './complaints/index.js';
import { healthModule } from './health/index.js';
import type { ModuleDefinition } from './registry.js';

/** The service modules of this installation; each adds its routes, portal services and navigation. */
export const modules: ModuleDefinition[] = [complaintsModule, healthModule];
