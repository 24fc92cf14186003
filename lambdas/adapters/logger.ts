import { Logger } from '@aws-lambda-powertools/logger';
import { config } from './config';

/** One structured logger per container (POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL configure it). */
export const logger = new Logger({ serviceName: config.serviceName() });
