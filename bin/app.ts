/**
 * CDK entry: `npx cdk synth -c stage=dev|prod [-c target=aws|localstack]`. Everything else lives in
 * lib/casework-app.ts; docs/localstack.md says what the LocalStack target leaves out.
 */
import { buildAppFor } from '../lib/casework-app';

buildAppFor();
