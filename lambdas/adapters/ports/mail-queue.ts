/** Binding `mailQueue: 'send'`: queued mail for the mail queue's consumer, each shown as `queued` in its case's mail log. */
import { defaultTable } from '../../data/client';
import { mailLogRepo } from '../../data/outbox-repo';
import { loggedMailQueue } from '../../domain/mail/outbound';
import { installPorts } from '../deps';
import { sqsMailQueue } from '../mail-queue';

installPorts({ mailQueue: () => loggedMailQueue(sqsMailQueue(), () => mailLogRepo(defaultTable())) });
