import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { AppError, Invalid, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../errors.js';
import { perCallerRate } from '../http/rateLimits.js';
import { storeUpload } from './commands/storeUpload.js';
import { canReadFile, type FileRow } from './policies.js';
import { formatBytes, largestUpload } from './prepare.js';
import { fileServiceFor, findFile } from './service.js';

/** Uploads per minute per IP address (per app process); anonymous residents may upload. */
export const UPLOAD_RATE_PER_MINUTE = 30;
/**
 * Uploads per minute per API key: a channel gateway uploads the photos of every resident who
 * writes to it (2 a second; each ≤ the upload size limit).
 */
export const UPLOAD_RATE_PER_API_KEY = 120;
/** Longest accepted `purpose` form field. */
const MAX_PURPOSE_LENGTH = 64;
/** Browser cache lifetime of downloads, in seconds. */
export const PRIVATE_MAX_AGE = 300;
export const PUBLIC_MAX_AGE = 3600;
/** Downloads never run as a page: no scripts, no plugins, no same-origin access. */
export const FILE_CSP = "default-src 'none'; sandbox";

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/png': 'png', 'image/gif': 'gif', 'application/pdf': 'pdf' };

const UploadResponse = z.object({
  id: z.string(),
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  gps: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  url: z.string(),
  thumbUrl: z.string().nullable(),
  /** Anonymous uploads only: append `?token=` (or send `X-File-Token`) to view the file. */
  downloadToken: z.string().optional(),
});

const FileParams = z.strictObject({ id: z.uuid() });
const DownloadQuery = z.object({ token: z.string().max(100).optional() });

/** An ASCII-only download name: the original name's stem, transliterated, with the real extension. */
export function downloadName(file: Pick<FileRow, 'id' | 'originalName' | 'mime'>, variant: 'file' | 'thumb'): string {
  const stem = (file.originalName ?? '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 80);
  const base = stem || `berkas-${file.id.slice(-12)}`;
  return variant === 'thumb' ? `${base}-thumb.webp` : `${base}.${EXT[file.mime] ?? 'bin'}`;
}

function etagMatches(header: string | undefined, sha256: string): boolean {
  if (!header) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === `"${sha256}"`;
  });
}

function tenantPrefix(req: FastifyRequest): string {
  return (req.raw as { balaiTenantSlug?: string }).balaiTenantSlug ? `/t/${req.tenant.slug}` : '';
}

/** Maps multipart parser failures to problems; nothing has been stored when they happen. */
function multipartError(e: unknown, maxBytes: number): Error {
  if (e instanceof AppError) return e;
  switch ((e as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLarge('file_too_large', { limit: formatBytes(maxBytes) });
    case 'FST_FILES_LIMIT':
      return new Invalid('file_one_only');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new Invalid('file_form_invalid', { reason: 'too many fields' });
    default:
      return new Invalid('file_form_invalid', { reason: String((e as Error)?.message ?? 'malformed').slice(0, 80) });
  }
}

/**
 * Upload and download of files (ARCHITECTURE rule 9). Registered as its own plugin so that the
 * multipart parser exists only for these routes.
 */
export async function filesRoutes(app: AppInstance): Promise<void> {
  const service = fileServiceFor(app.deps.config);
  const maxBytes = largestUpload(service.limits);
  const formLimits = { fileSize: maxBytes, files: 1, fields: 1, parts: 2, fieldSize: MAX_PURPOSE_LENGTH + 1, fieldNameSize: 32, headerPairs: 20 };
  await app.register(multipart, { limits: formLimits });

  app.post(
    '/api/v1/files',
    {
      config: { access: { public: true }, rateLimit: perCallerRate({ perAddress: UPLOAD_RATE_PER_MINUTE, perApiKey: UPLOAD_RATE_PER_API_KEY }) },
      schema: {
        tags: ['files'],
        summary: 'Upload one photo (JPEG, PNG, WebP, GIF) or PDF as multipart/form-data: field `file`, optional `purpose`',
        description:
          'The type is decided by the file content. Images are re-encoded without metadata (longest side 2048 px) after their ' +
          'EXIF GPS position is read, and get a WebP thumbnail. Signed-in users and anonymous residents may upload; an ' +
          'anonymous upload returns a `downloadToken` that lets only that uploader view the file until a module claims it.',
        consumes: ['multipart/form-data'],
        response: { 201: UploadResponse },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new UnsupportedMediaType('file_multipart_required');
      let buffer: Buffer | undefined;
      let originalName: string | undefined;
      let purpose: string | undefined;
      try {
        for await (const part of req.parts({ limits: formLimits })) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') throw Invalid.field(part.fieldname, 'field.unknown', { key: part.fieldname });
            if (buffer) throw new Invalid('file_one_only');
            buffer = await part.toBuffer();
            originalName = part.filename;
          } else if (part.fieldname === 'purpose') {
            if (part.valueTruncated) throw Invalid.field('purpose', 'field.too_long', { maximum: MAX_PURPOSE_LENGTH });
            purpose = String(part.value);
          } else if (part.fieldname === 'file') {
            throw Invalid.field('file', 'field.file_required');
          } else {
            throw Invalid.field(part.fieldname, 'field.unknown', { key: part.fieldname });
          }
        }
      } catch (e) {
        throw multipartError(e, maxBytes);
      }
      if (!buffer) throw Invalid.field('file', 'field.file_required');

      const r = await storeUpload(req.ctx(), { buffer, originalName, purpose, visibility: 'private' }, service);
      const url = `${tenantPrefix(req)}/api/v1/files/${r.file.id}`;
      return reply.code(201).send({
        id: r.file.id,
        mime: r.file.mime,
        size: r.file.size,
        width: r.file.width,
        height: r.file.height,
        gps: r.gps,
        url,
        thumbUrl: r.file.thumbSha256 ? `${url}/thumb` : null,
        ...(r.downloadToken ? { downloadToken: r.downloadToken } : {}),
      });
    },
  );

  const download = (variant: 'file' | 'thumb') => async (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as z.infer<typeof FileParams>;
    const { token: queryToken } = req.query as z.infer<typeof DownloadQuery>;
    const headerToken = req.headers['x-file-token'];
    const token = queryToken ?? (typeof headerToken === 'string' ? headerToken : undefined);
    const ctx = req.ctx();
    const file = await findFile(ctx, id);
    // Absent, another tenant's, or not the actor's to see: the same 404, so existence never leaks.
    if (!file || !(await canReadFile(ctx, file, token))) throw new NotFound('file_not_found');
    const sha256 = variant === 'thumb' ? file.thumbSha256 : file.sha256;
    if (!sha256) throw new NotFound('file_not_found');

    reply
      .header('etag', `"${sha256}"`)
      .header('cache-control', file.visibility === 'public' ? `public, max-age=${PUBLIC_MAX_AGE}` : `private, max-age=${PRIVATE_MAX_AGE}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', FILE_CSP);
    if (etagMatches(req.headers['if-none-match'], sha256)) return reply.code(304).send();

    const stream = await service.store.open(sha256);
    if (!stream) throw new Error(`blob ${sha256} of file ${file.id} is missing from the store`);
    const mime = variant === 'thumb' ? 'image/webp' : file.mime;
    const disposition = mime.startsWith('image/') ? 'inline' : 'attachment';
    reply.header('content-type', mime).header('content-disposition', `${disposition}; filename="${downloadName(file, variant)}"`);
    if (variant === 'file') reply.header('content-length', String(file.size));
    return reply.send(stream);
  };

  app.get(
    '/api/v1/files/:id',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['files'],
        summary: 'Download a file: public files for anyone, private ones for the uploader, the token holder or as the owning module allows',
        params: FileParams,
        querystring: DownloadQuery,
      },
    },
    download('file'),
  );

  app.get(
    '/api/v1/files/:id/thumb',
    {
      config: { access: { public: true } },
      schema: { tags: ['files'], summary: 'The WebP thumbnail (longest side 320 px) of an image, with the same access as the file', params: FileParams, querystring: DownloadQuery },
    },
    download('thumb'),
  );
}
