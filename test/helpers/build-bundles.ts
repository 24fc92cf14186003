/** `tsx test/helpers/build-bundles.ts <dir>`: the test tiers' function bundles, built ahead of jest (scripts/test.sh). */
import { buildFunctionBundles } from './shared-dynamo';

const dir = process.argv[2];
if (!dir) throw new Error('usage: build-bundles.ts <dir>');
buildFunctionBundles(dir);
