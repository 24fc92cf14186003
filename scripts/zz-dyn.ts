import { startDynamo } from '../local/emulators';
startDynamo({ port: Number(process.argv[2]) }).then((d) => { console.log(d.endpoint); });
