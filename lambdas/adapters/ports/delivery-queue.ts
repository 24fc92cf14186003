/** Binding `deliveryQueue: 'send'`: chunks of an event's recipients for the delivery function. */
import { sqsDeliveryQueue } from '../delivery-queue';
import { installPorts } from '../deps';

installPorts({ deliveryQueue: () => sqsDeliveryQueue() });
