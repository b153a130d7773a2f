import { IconBed, IconBell, IconBuildingHospital, IconCalendarStats, IconCalendarUser, IconHistory, IconHome, IconMailForward, IconMessageReport, IconPill, IconPoint, IconSettings, IconSitemap, IconStethoscope, IconUsers } from '@tabler/icons-react';
import type { ComponentType } from 'react';

type Icon = ComponentType<{ size?: number; stroke?: number; 'aria-hidden'?: boolean }>;

/** Icons of the navigation entries by key; modules' entries fall back to a dot. */
const ICONS: Record<string, Icon> = {
  home: IconHome,
  notifications: IconBell,
  'admin.units': IconSitemap,
  'admin.users': IconUsers,
  'admin.calendar': IconCalendarStats,
  'admin.tenant': IconSettings,
  'admin.audit': IconHistory,
  'admin.outbox': IconMailForward,
  'complaints.inbox': IconMessageReport,
  'complaints.unitInbox': IconMessageReport,
  'health.console': IconStethoscope,
  'health.pharmacy': IconPill,
  'health.inpatient': IconBed,
  'health.services': IconBuildingHospital,
  'health.roster': IconCalendarUser,
};

export function NavIcon({ navKey, size = 20 }: { navKey: string; size?: number }) {
  const C = ICONS[navKey] ?? IconPoint;
  return <C size={size} stroke={1.7} aria-hidden />;
}
