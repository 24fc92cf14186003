/** Binding `inboundBucket` (MAIL-2): raw inbound mail, parsed with postal-mime. */
import { installPorts } from '../deps';
import { postalMimeParser } from '../mime';

installPorts({ mime: () => postalMimeParser() });
