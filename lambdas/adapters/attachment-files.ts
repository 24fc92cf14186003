import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentFiles } from '../domain/cases/ports';
import { QUARANTINE_PREFIX } from '../domain/cases/attachments';
import { s3Client } from './inbound-store';

/** RFC 6266: an ASCII fallback name, and the real one percent-encoded (RFC 8187). */
export const attachmentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
};

/**
 * The attachments bucket. Presigned URLs are signed with the function's own credentials, so they
 * can do what its role may do to that one key and no more: a PUT (create-attachment) only with
 * the signed Content-Type and Content-Length, a GET (get-attachment) answered as a download.
 */
export const s3AttachmentFiles = (bucket: string, client: S3Client = s3Client()): AttachmentFiles => ({
  uploadUrl: (key, o) =>
    getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: o.contentType, ContentLength: o.size }), {
      expiresIn: o.expiresInSeconds,
      // Signed as headers, not left to the client: S3 refuses a PUT of another type or length.
      signableHeaders: new Set(['content-type', 'content-length']),
    }),
  downloadUrl: (key, o) =>
    getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: attachmentDisposition(o.fileName),
        ResponseContentType: o.contentType,
      }),
      { expiresIn: o.expiresInSeconds },
    ),
  inspect: async (key, headBytes) => {
    let out;
    try {
      out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${headBytes - 1}` }));
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
    const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    const chunks: Uint8Array[] = [];
    let read = 0;
    // Bounded even where a Range is not honoured: only the first bytes are kept.
    for await (const chunk of body ?? []) {
      chunks.push(chunk);
      read += chunk.byteLength;
      if (read >= headBytes) break;
    }
    body?.destroy?.();
    const head = new Uint8Array(Buffer.concat(chunks).subarray(0, headBytes));
    const size = total !== undefined ? Number(total) : (out.ContentLength ?? read);
    return { size, contentType: out.ContentType, head };
  },
  quarantine: async (key) => {
    const to = `${QUARANTINE_PREFIX}${key}`;
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeURI(key)}` }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return to;
  },
  put: async (key, body, contentType) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  },
});
