/** Repository `directory` (lambdas/data/directory-repo.ts), for a function whose code reaches `deps.directory`. */
import { directoryRepo } from '../../../data/directory-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { directory: directoryRepo } });
