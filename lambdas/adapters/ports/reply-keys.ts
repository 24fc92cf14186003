/** Binding `replyKeys` (MAIL-1): the reply-token keyring, read on first use. */
import { installPorts } from '../deps';
import { replyKeyring } from '../reply-keys';

installPorts({ replyKeys: replyKeyring });
