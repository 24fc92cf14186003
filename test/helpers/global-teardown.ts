import { teardown } from './shared-dynamo';

export default teardown;
