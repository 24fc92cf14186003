import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config } from './config';

/**
 * Where raw inbound messages live: SES's S3 action writes them in AWS, the local SMTP server
 * writes them to the S3 emulator. Reads are bounded: a message over the limit is never
 * buffered, only its size reported, so the domain can record `rejected: too-large`.
 */
export interface InboundObject {
  /** Bytes of the stored object. */
  size: number;
  /** The raw message; undefined when it is over the limit and was not read. */
  raw?: Uint8Array;
}

export interface InboundStore {
  read(key: string, maxBytes: number): Promise<InboundObject>;
  put(key: string, raw: Uint8Array): Promise<void>;
}

/**
 * Locally AWS_ENDPOINT_URL_S3 points the client at the emulator, which only understands
 * path-style addressing (no wildcard DNS for bucket subdomains on 127.0.0.1).
 */
export const s3Client = (): S3Client => new S3Client({ forcePathStyle: config.s3Emulated() });

export const inboundBucket = (): string => config.inboundBucket();

/** The key prefix SES writes under; '' is a valid (if unusual) prefix. */
export const inboundPrefix = (): string => config.inboundPrefix();

class TooLarge extends Error {}

export const inboundStore = (client: S3Client = s3Client(), bucket: string = inboundBucket()): InboundStore => ({
  read: async (key, maxBytes) => {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!body) throw new Error(`s3://${bucket}/${key} has no body`);
    const declared = out.ContentLength;
    if (declared !== undefined && declared > maxBytes) {
      // Headers only: the body stream is dropped unread, so memory never holds the message.
      body.destroy?.();
      return { size: declared };
    }
    // Counted as it streams as well: a missing or wrong Content-Length must not defeat the bound.
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new TooLarge();
        chunks.push(chunk);
      }
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      body.destroy?.();
      return { size: declared ?? size };
    }
    return { size, raw: new Uint8Array(Buffer.concat(chunks, size)) };
  },
  put: async (key, raw) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw, ContentType: 'message/rfc822' }));
  },
});
