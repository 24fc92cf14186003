import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../adapters/config';

/**
 * One document client per container. Locally AWS_ENDPOINT_URL_DYNAMODB points the same code at
 * DynamoDB Local, so handlers never know where they run.
 */
let shared: DynamoDBDocumentClient | undefined;

export const documentClient = (): DynamoDBDocumentClient =>
  (shared ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }));

export const tableName = (): string => config.tableName();

export interface TableRef {
  doc: DynamoDBDocumentClient;
  table: string;
}

export const defaultTable = (): TableRef => ({ doc: documentClient(), table: tableName() });
