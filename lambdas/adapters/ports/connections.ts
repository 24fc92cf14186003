/** Binding `connections` (CHAT-1..3): frames to the chat WebSocket API's connections. */
import { managementConnections } from '../chat-connections';
import { installPorts } from '../deps';

installPorts({ connections: () => managementConnections() });
