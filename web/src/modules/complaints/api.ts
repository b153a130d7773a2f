import { useQuery } from '@tanstack/react-query';
import type { ComplaintKind, ComplaintStatus, RejectionReason } from '../../../../common/complaints/workflow';
import { api } from '../../app/api';

export type { ComplaintKind, ComplaintStatus, RejectionReason };

export interface AttributeDefinition {
  code: string;
  description: string;
  datatype: 'string' | 'number' | 'singlevaluelist';
  required: boolean;
  order?: number;
  values?: { key: string; name: string }[];
}

export interface PublicCategory {
  id: string;
  name: string;
  icon: string;
  kind: ComplaintKind;
  attributes: AttributeDefinition[];
}

export interface Region {
  code: string;
  name: string;
}

export interface Submitted {
  id: string;
  trackingCode: string;
  accessToken?: string;
  status: ComplaintStatus;
  submittedAt: string;
}

export interface PublicTimelineEntry {
  action: string;
  status: ComplaintStatus | null;
  note: string | null;
  at: string;
}

export interface Tracked {
  trackingCode: string;
  status: ComplaintStatus;
  kind: ComplaintKind;
  category: { id: string; name: string; icon: string };
  description: string;
  location: { lat: number; lng: number } | null;
  kecamatan: Region | null;
  kelurahan: Region | null;
  address: string | null;
  unitName: string | null;
  rejectionReason: RejectionReason | null;
  photoIds: string[];
  submittedAt: string;
  timeline: PublicTimelineEntry[];
}

export interface InboxItem {
  id: string;
  trackingCode: string;
  status: ComplaintStatus;
  kind: ComplaintKind;
  categoryId: string;
  categoryName: string;
  unitId: string;
  unitName: string;
  kecamatan: Region | null;
  kelurahan: Region | null;
  summary: string;
  anonymous: boolean;
  photoCount: number;
  submittedAt: string;
  updatedAt: string;
}

export interface TimelineEntry extends PublicTimelineEntry {
  id: string;
  fromStatus: ComplaintStatus | null;
  internal: boolean;
  unitId: string | null;
  unitName: string | null;
  actorKind: string;
  actorName: string | null;
}

export interface ComplaintDetail extends InboxItem {
  description: string;
  location: { lat: number; lng: number } | null;
  address: string | null;
  attributes: Record<string, string | number>;
  rejectionReason: RejectionReason | null;
  reporter: { userId: string | null; name: string | null; phone: string | null; email: string | null; unmasked: boolean };
  photos: { id: string; hidden: boolean }[];
  verifiedAt: string | null;
  disposedAt: string | null;
  allowedActions: string[];
  timeline: TimelineEntry[];
}

export function useCategories() {
  return useQuery({
    queryKey: ['complaints', 'categories'],
    queryFn: () => api.get<{ items: PublicCategory[] }>('/api/v1/complaints/categories'),
    staleTime: 5 * 60_000,
  });
}

/** Children of a region (kecamatan of the city, kelurahan of a kecamatan); all on one page. */
export function useRegions(parent: string | null | undefined) {
  return useQuery({
    queryKey: ['regions', parent],
    queryFn: () => api.get<{ items: Region[] }>('/api/v1/regions', { parent: parent ?? undefined, limit: 100 }),
    enabled: Boolean(parent),
    staleTime: 60 * 60_000,
  });
}

/** Statuses with a badge colour, shared by the tracking page and the inbox. */
export const STATUS_COLORS: Record<ComplaintStatus, string> = {
  submitted: 'gray',
  verified: 'blue',
  rejected: 'red',
  disposed: 'indigo',
  in_progress: 'yellow',
  needs_info: 'orange',
  resolved: 'teal',
  closed: 'green',
  reopened: 'grape',
  withdrawn: 'dark',
};
