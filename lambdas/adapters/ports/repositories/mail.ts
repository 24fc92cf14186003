/** Repository `mail` (lambdas/data/mail-repo.ts), for a function whose code reaches `deps.mail`. */
import { mailRepo } from '../../../data/mail-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { mail: mailRepo } });
