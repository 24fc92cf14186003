/** Binding `attachments` (MAIL-2, CASE-6): the bucket of cases' files. */
import { config } from '../config';
import { installPorts } from '../deps';
import { s3AttachmentFiles } from '../attachment-files';

installPorts({ files: () => s3AttachmentFiles(config.attachmentsBucket()) });
