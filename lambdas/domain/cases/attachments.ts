/**
 * A case's files (MAIL-2, CASE-6): uploads through presigned S3 URLs, files kept from inbound
 * mail, and downloads. Who may read a file is who may read its update: the same policy (loadCase,
 * canSeeInternal) and the same views (viewFor) as updates, nothing of its own.
 *
 * Limits follow the AWS Support API's attachment sets: at most 3 files of at most 5 MB each in a
 * set, and a set is open for an hour from its first file. Here a set is one uploader's uploads on
 * one case.
 *
 * Status: an upload is `pending` until its object exists and passes the checks made when S3
 * reports it stored (checkStoredUpload): its size is the declared one and its first bytes match
 * the declared type. Then it is `available`, else `quarantined` (and moved out of reach). These
 * checks are not a malware scan; docs/attachments.md says what a deployment adds.
 */
import { conflict, forbidden, notFound, validation } from '../kernel/errors';
import { canSeeInternal, canWrite, type Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Page, PageRequest } from '../kernel/ports';
import type { CaseAttachment, Visibility } from '../kernel/types';
import { viewFor, type View } from '../kernel/views';
import { closedCaseRefusal } from './lifecycle';
import { actorOf } from './case-changes';
import { loadCase } from './cases';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_SET_FILES = 3;
export const SET_OPEN_MS = 60 * 60 * 1000;
/** Long enough for a 5 MB upload on a slow line, short enough that a leaked URL soon dies. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** A download link is used at once (a browser follows it); a minute is plenty. */
export const DOWNLOAD_URL_SECONDS = 60;
/** Files of inbound mail are kept up to this size each, and this many per message (the rest stay listed only). */
export const MAX_MAIL_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_MAIL_ATTACHMENTS = 20;

const startsWith =
  (...signatures: (string | number[])[]) =>
  (head: Uint8Array): boolean =>
    signatures.some((sig) => {
      const bytes = typeof sig === 'string' ? [...Buffer.from(sig, 'latin1')] : sig;
      return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
    });

/** UTF-8 text without NUL bytes (a trailing character cut by the sample is allowed). */
const isText = (head: Uint8Array): boolean => {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
};

const ZIP = startsWith('PK\x03\x04', 'PK\x05\x06');

/**
 * The types a portal or app upload may declare, each with how its first bytes are recognised:
 * documents, images, logs and archives a support case needs; nothing a browser would run (HTML,
 * SVG, scripts) and no executables. Office documents are zip containers.
 */
export const ATTACHMENT_TYPES: Readonly<Record<string, (head: Uint8Array) => boolean>> = {
  'application/pdf': startsWith('%PDF-'),
  'image/png': startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': startsWith([0xff, 0xd8, 0xff]),
  'image/gif': startsWith('GIF87a', 'GIF89a'),
  'application/zip': ZIP,
  'application/gzip': startsWith([0x1f, 0x8b]),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ZIP,
  'text/plain': isText,
  'text/csv': isText,
  'application/json': isText,
};
export const ALLOWED_TYPES = Object.keys(ATTACHMENT_TYPES);
/** Enough bytes to tell every signature above, and a fair sample of a text file. */
export const SNIFF_BYTES = 4096;

const UPLOADS = 'uploads/';
const MAIL = 'mail/';
export const QUARANTINE_PREFIX = 'quarantine/';
export const uploadKey = (caseNumber: string, attachmentId: string): string => `${UPLOADS}${caseNumber}/${attachmentId}`;
export const mailAttachmentKey = (caseNumber: string, attachmentId: string): string => `${MAIL}${caseNumber}/${attachmentId}`;

export type AttachmentView = View<'caseAttachment'>;
export type AttachmentDownloadView = View<'attachmentDownload'>;

export interface UploadInput {
  fileName: string;
  contentType: string;
  size: number;
  visibility?: Visibility;
}

/** POST /cases/{n}/attachments: a pending attachment and the presigned PUT that stores it. */
export const requestUpload = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  input: UploadInput,
): Promise<AttachmentView & { uploadUrl: string; expiresAt: string }> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  if (access === 'restricted') throw forbidden('Staff working from the US cannot change cases of EU/EEA organisations (PRIV-1).');
  if (!canWrite(access)) throw forbidden('Your access to this case is read-only.');
  const closed = closedCaseRefusal(c);
  if (closed) throw closed;
  const contentType = input.contentType.toLowerCase();
  const errors = [
    ...(ATTACHMENT_TYPES[contentType] ? [] : [{ path: 'contentType', message: `must be one of ${ALLOWED_TYPES.join(', ')}` }]),
    ...(input.size > MAX_ATTACHMENT_BYTES ? [{ path: 'size', message: `at most ${MAX_ATTACHMENT_BYTES} bytes (5 MB)` }] : []),
    ...(input.visibility === 'internal' && access !== 'staff'
      ? [{ path: 'visibility', message: 'only staff attach internal files' }]
      : []),
  ];
  if (errors.length) throw validation(errors);
  const actor = actorOf(caller);
  const now = deps.clock.now();
  const attachmentId = deps.ids.next();
  const a: CaseAttachment = {
    caseNumber: c.caseNumber,
    attachmentId,
    fileName: input.fileName,
    contentType,
    size: input.size,
    visibility: input.visibility ?? 'public',
    source: 'upload',
    uploaderId: actor.id,
    uploaderName: actor.name,
    uploaderKind: actor.kind === 'staff' ? 'staff' : 'customer',
    status: 'pending',
    key: uploadKey(c.caseNumber, attachmentId),
    createdAt: now.toISOString(),
  };
  const res = await deps.attachments.createUpload(a, {
    max: MAX_SET_FILES,
    since: new Date(now.getTime() - SET_OPEN_MS).toISOString(),
    now: a.createdAt,
  });
  if (res === 'set-full') {
    throw conflict(
      '/problems/attachment-set-full',
      'Attachment set full',
      `At most ${MAX_SET_FILES} files may be attached to a case within an hour; try again later.`,
      { maxFiles: MAX_SET_FILES },
    );
  }
  const uploadUrl = await deps.files.uploadUrl(a.key, {
    contentType,
    size: a.size,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
  return { ...viewFor('caseAttachment', a, access), uploadUrl, expiresAt };
};

/** GET /cases/{n}/attachments: the files of the updates the caller may read, and uploads alike. */
export const listAttachments = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  page: PageRequest,
): Promise<Page<AttachmentView>> => {
  const { access } = await loadCase(deps, caller, caseNumber);
  const res = await deps.attachments.listAttachments(caseNumber, { publicOnly: !canSeeInternal(access) }, page);
  return { items: res.items.map((a) => viewFor('caseAttachment', a, access)), next: res.next };
};

/**
 * GET /cases/{n}/attachments/{id}: a presigned download, for whoever may read the file's update
 * (an internal one's are staff's). The view decides what a restricted caller gets (PRIV-1: no
 * name and no link).
 */
export const getAttachment = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  attachmentId: string,
): Promise<AttachmentDownloadView> => {
  const { access } = await loadCase(deps, caller, caseNumber);
  const a = await deps.attachments.getAttachment(caseNumber, attachmentId);
  if (!a || (a.visibility === 'internal' && !canSeeInternal(access))) throw notFound();
  if (a.status === 'pending') {
    throw conflict(
      '/problems/attachment-pending',
      'Attachment not ready',
      'The file has not been uploaded yet, or its checks have not finished; try again shortly.',
    );
  }
  if (a.status === 'quarantined') {
    throw conflict(
      '/problems/attachment-quarantined',
      'Attachment quarantined',
      `The file failed its checks (${a.reason ?? 'unknown'}) and cannot be downloaded.`,
      { reason: a.reason },
    );
  }
  const downloadUrl = await deps.files.downloadUrl(a.key, {
    fileName: a.fileName,
    contentType: a.contentType,
    expiresInSeconds: DOWNLOAD_URL_SECONDS,
  });
  const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  return viewFor('attachmentDownload', { ...a, downloadUrl, expiresAt }, access);
};

/** Why a stored upload is quarantined, or undefined when it passes. */
export const uploadDefect = (a: CaseAttachment, stored: { size: number; contentType?: string; head: Uint8Array }) => {
  if (stored.size !== a.size) return 'size-mismatch';
  if ((stored.contentType ?? '').split(';')[0].trim().toLowerCase() !== a.contentType) return 'type-mismatch';
  const matches = ATTACHMENT_TYPES[a.contentType];
  if (!matches || !matches(stored.head)) return 'content-not-of-declared-type';
  return undefined;
};

export type CheckOutcome = 'available' | 'quarantined' | 'not-pending' | 'unknown-key' | 'missing';

/**
 * What S3's "object created" event under uploads/ starts: checks the stored object against its
 * record and settles the record. Idempotent: an event delivered twice finds it settled.
 */
export const checkStoredUpload = async (
  deps: Pick<Deps, 'attachments' | 'files' | 'clock'>,
  key: string,
): Promise<CheckOutcome> => {
  const m = /^uploads\/([^/]+)\/([^/]+)$/.exec(key);
  if (!m) return 'unknown-key';
  const a = await deps.attachments.getAttachment(m[1], m[2]);
  if (!a) return 'unknown-key';
  // A redelivered event: settled already (a quarantined file has moved to another key).
  if (a.status !== 'pending') return 'not-pending';
  if (a.key !== key) return 'unknown-key';
  const stored = await deps.files.inspect(key, SNIFF_BYTES);
  if (!stored) return 'missing';
  const defect = uploadDefect(a, stored);
  const checkedAt = deps.clock.now().toISOString();
  if (!defect) {
    await deps.attachments.settle(a.caseNumber, a.attachmentId, { status: 'available', key, checkedAt });
    return 'available';
  }
  const moved = await deps.files.quarantine(key);
  await deps.attachments.settle(a.caseNumber, a.attachmentId, { status: 'quarantined', reason: defect, key: moved, checkedAt });
  return 'quarantined';
};

/** A file of an inbound message, as the MIME parser gives it. */
export interface MailFile {
  name: string;
  contentType: string;
  size: number;
  content?: Uint8Array;
}

/** A file kept from an inbound mail, before the update it comes with is written. */
export type MailFileRecord = Omit<CaseAttachment, 'updateId' | 'uploaderId' | 'uploaderName' | 'uploaderKind' | 'createdAt'>;

/**
 * MAIL-2: the files of an inbound mail that are kept (stored, with an id) for the update that
 * attaches them. Only mail that passed SES's spam and virus verdicts gets here (a failed one is
 * held for staff, MAIL-4), so they are `available` at once. Ids derive from the message's
 * fingerprint, so a redelivery writes the same objects again, not new ones.
 */
export const keepMailFiles = async (
  deps: Pick<Deps, 'files'>,
  o: { caseNumber: string; fingerprint: string; files: readonly MailFile[] },
): Promise<(MailFileRecord | undefined)[]> => {
  // Aligned with `files`: undefined for a file listed only (too large, or past the count).
  const stored: (MailFileRecord | undefined)[] = [];
  let kept = 0;
  const prefix = `m${o.fingerprint.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;
  for (const [i, f] of o.files.entries()) {
    if (kept >= MAX_MAIL_ATTACHMENTS || !f.content || f.size > MAX_MAIL_ATTACHMENT_BYTES) {
      stored.push(undefined);
      continue;
    }
    kept++;
    const attachmentId = `${prefix}${String(i).padStart(3, '0')}`;
    const key = mailAttachmentKey(o.caseNumber, attachmentId);
    await deps.files.put(key, f.content, f.contentType);
    stored.push({
      caseNumber: o.caseNumber,
      attachmentId,
      fileName: f.name,
      contentType: f.contentType,
      size: f.size,
      visibility: 'public',
      source: 'email',
      status: 'available',
      key,
    });
  }
  return stored;
};
