import { setup } from './shared-dynamo';

export default setup;
