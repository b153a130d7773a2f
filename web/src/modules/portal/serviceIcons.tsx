import {
  IconApps,
  IconBuildingHospital,
  IconCalendarEvent,
  IconChartBar,
  IconFileCertificate,
  IconMap2,
  IconMessageReport,
  IconStethoscope,
  IconTicket,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

type Icon = ComponentType<{ size?: number; stroke?: number; 'aria-hidden'?: boolean }>;

/**
 * Icons a module may name for its portal service. Only these are bundled (a full icon set would
 * weigh megabytes); an unknown name falls back to a generic icon.
 */
const ICONS: Record<string, Icon> = {
  IconMessageReport,
  IconBuildingHospital,
  IconStethoscope,
  IconFileCertificate,
  IconTicket,
  IconCalendarEvent,
  IconUsersGroup,
  IconMap2,
  IconChartBar,
};

export function ServiceIcon({ name, size = 26 }: { name: string; size?: number }) {
  const C = ICONS[name] ?? IconApps;
  return <C size={size} stroke={1.6} aria-hidden />;
}
