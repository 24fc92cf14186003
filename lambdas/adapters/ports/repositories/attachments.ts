/** Repository `attachments` (lambdas/data/attachment-repo.ts), for a function whose code reaches `deps.attachments`. */
import { attachmentRepo } from '../../../data/attachment-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { attachments: attachmentRepo } });
