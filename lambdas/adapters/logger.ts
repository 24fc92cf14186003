import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per container (POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL configure it). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'casework' });
