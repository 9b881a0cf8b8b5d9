// Entry point of the k8ts program (hyperkube style): picks a component by the first argument or by
// the name the program was invoked as (a symlink named kube-apiserver runs the apiserver).
import { basename } from 'node:path';
import { commands, commandForInvocationName } from './commands.js';

async function main(argv: string[]): Promise<number> {
  const invokedAs = basename(process.env.K8TS_INVOKED_AS ?? argv[1] ?? 'k8ts');
  let name = commandForInvocationName(invokedAs);
  let args = argv.slice(2);
  if (!name) {
    name = args[0];
    args = args.slice(1);
  }
  const command = name ? commands.find((c) => c.name === name) : undefined;
  if (!command) {
    const list = commands.map((c) => `  ${c.name.padEnd(20)} ${c.summary}`).join('\n');
    process.stderr.write(`Usage: k8ts <command> [flags]\n\nCommands:\n${list}\n`);
    return name && name !== 'help' && name !== '--help' && name !== '-h' ? 2 : 0;
  }
  return command.run(args);
}

main(process.argv).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`k8ts: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
