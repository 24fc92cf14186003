/** CDK entry: `npx cdk synth -c stage=dev|prod`. Everything else lives in lib/casework-app.ts. */
import { buildApp } from '../lib/casework-app';

buildApp();
