import {
  IconBuildingCommunity,
  IconBulb,
  IconBulbOff,
  IconDroplet,
  IconInfoCircle,
  IconMessageReport,
  IconParking,
  IconRoad,
  IconTrafficLights,
  IconTrash,
  IconTree,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

type Icon = ComponentType<{ size?: number; stroke?: number; 'aria-hidden'?: boolean }>;

/**
 * Icons categories may name. Only these are bundled (the whole set would weigh megabytes); an
 * unknown name falls back to a generic report icon.
 */
const ICONS: Record<string, Icon> = {
  IconRoad,
  IconTrafficLights,
  IconTrash,
  IconDroplet,
  IconBulbOff,
  IconTree,
  IconParking,
  IconBuildingCommunity,
  IconBulb,
  IconInfoCircle,
  IconMessageReport,
};

/** The icon names an administrator may give a category. */
export const CATEGORY_ICON_NAMES = Object.keys(ICONS);

export function CategoryIcon({ name, size = 28 }: { name: string; size?: number }) {
  const C = ICONS[name] ?? IconMessageReport;
  return <C size={size} stroke={1.6} aria-hidden />;
}
