// Fixture for apiserver-process.test.ts: starts an apiserver through the harness, prints its pid, then
// waits to be killed (it never stops the apiserver itself).
import { startAPIServer } from '../apiserver-process.js';

const server = await startAPIServer({ backend: 'memory' });
process.stdout.write(`${server.pid}\n`);
setInterval(() => {}, 60_000);
