/** Binding `topic` (NOTE-1): the integration topic. */
import { config } from '../config';
import { installPorts } from '../deps';
import { snsIntegrationTopic } from '../sns-topic';

installPorts({ integration: () => snsIntegrationTopic(config.notifyTopicArn()) });
