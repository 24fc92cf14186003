// npm itself runs on the machine's Node; the `node` devDependency must put Node 24 first on the
// PATH of every script. If its install script was skipped, fail loudly instead of running on 20.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `Casework needs Node 24 (Lambda runs NODEJS_24_X) but this script runs on ${process.version}.\n` +
      'Run `npm install` (it installs Node 24 through the `node` devDependency), or approve its ' +
      'install script with `npm install-scripts approve node`.',
  );
  process.exit(1);
}
