/** Repository `cases` (lambdas/data/case-repo.ts), for a function whose code reaches `deps.cases`. */
import { caseRepo } from '../../../data/case-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { cases: caseRepo } });
