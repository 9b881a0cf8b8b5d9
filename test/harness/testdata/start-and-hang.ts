// Fixture for apiserver-process.test.ts: starts an apiserver through the harness in the data dir named by
// argv[2] (the test removes it), prints its pid, then waits to be killed (it never stops the apiserver).
import { startAPIServer } from '../apiserver-process.js';

const server = await startAPIServer({ backend: 'memory', dataDir: process.argv[2] });
process.stdout.write(`${server.pid}\n`);
setInterval(() => {}, 60_000);
