/**
 * The report form's draft, kept in the browser's IndexedDB so that a reload, a closed tab or a
 * lost connection does not lose what the resident typed and photographed. One draft per
 * government (tenant base path); photos are stored as Blobs. A tiny wrapper over indexedDB keeps
 * the page free of a storage library.
 */
import type { ComplaintKind } from '../../../../common/complaints/workflow';
import { basePath } from '../../app/base';
import type { LatLng } from './photos';

export interface DraftPhoto {
  key: string;
  /** The downscaled JPEG that is (or will be) uploaded. */
  blob: Blob;
  /** Set once uploaded (POST /api/v1/files). */
  id?: string;
  token?: string;
  error?: string;
}

export interface Place extends LatLng {
  /** Where the pin came from: the phone's GPS, a photo's EXIF, or the map. */
  source: 'gps' | 'photo' | 'map';
  accuracy?: number;
}

export interface ReportDraft {
  categoryId: string | null;
  kind: ComplaintKind;
  kecamatan: string | null;
  kelurahan: string | null;
  address: string;
  location: Place | null;
  description: string;
  attributes: Record<string, string>;
  contact: { name: string; phone: string; email: string };
  photos: DraftPhoto[];
  /** The Idempotency-Key and the exact body it was sent with: a retry of that body reuses it. */
  sent?: { body: string; key: string };
  /** "Kirim" was pressed while offline (or the answer was lost): send when the connection returns. */
  queued?: boolean;
}

const DB_NAME = 'balai';
const STORE = 'drafts';
const KEY = `report:${basePath || '/'}`;

let opening: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** The saved draft, or null (none, or storage unavailable, e.g. some private modes). */
export async function loadDraft(): Promise<ReportDraft | null> {
  try {
    return ((await run('readonly', (s) => s.get(KEY))) as ReportDraft | undefined) ?? null;
  } catch {
    return null;
  }
}

export async function saveDraft(draft: ReportDraft): Promise<void> {
  try {
    await run('readwrite', (s) => s.put(draft, KEY));
  } catch {
    // Without storage the form still works; only the offline copy is missing.
  }
}

export async function clearDraft(): Promise<void> {
  try {
    await run('readwrite', (s) => s.delete(KEY));
  } catch {
    // Nothing stored.
  }
}
