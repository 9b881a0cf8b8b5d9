// The registry of k8ts commands: one explicit list, assembled here, no import side effects.

import { homedir } from 'node:os';
import { runComponentCommand, type ComponentCommand } from './run-component.js';
import { shutdownSignal } from './shutdown-signal.js';

export interface Command {
  name: string;
  /** Upstream binary names that invoke this command through a symlink (e.g. kube-apiserver). */
  aliases: string[];
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Command[] = [
  {
    name: 'apiserver',
    aliases: ['kube-apiserver'],
    summary: 'Run the Kubernetes API server (kube-apiserver)',
    async run(args) {
      const { apiserverCommand } = await import('./apiserver-command.js');
      return runComponent(apiserverCommand, args);
    },
  },
  {
    name: 'controller-manager',
    aliases: ['kube-controller-manager'],
    summary: 'Run the Kubernetes controller manager (kube-controller-manager)',
    async run(args) {
      const { controllerManagerCommand } = await import('./controller-manager-command.js');
      return runComponent(controllerManagerCommand, args);
    },
  },
  {
    name: 'scheduler',
    aliases: ['kube-scheduler'],
    summary: 'Run the Kubernetes scheduler (kube-scheduler)',
    async run(args) {
      const { schedulerCommand } = await import('./scheduler-command.js');
      return runComponent(schedulerCommand, args);
    },
  },
  {
    name: 'up',
    aliases: [],
    summary: 'Bring a whole cluster up on this machine (npm start)',
    async run(args) {
      const { runUp } = await import('./up-command.js');
      const shutdown = shutdownSignal({ watchStdin: false });
      try {
        return await runUp(args, shutdown.signal);
      } finally {
        shutdown.dispose();
      }
    },
  },
  {
    name: 'certs',
    aliases: [],
    summary: 'Generate the cluster certificates and keys (k8ts certs generate --dir D)',
    async run(args) {
      const { runCerts } = await import('./certs-command.js');
      return runCerts(args, toolIO());
    },
  },
  {
    name: 'kubeconfig',
    aliases: [],
    summary: 'Write the component kubeconfigs (k8ts kubeconfig --dir D --server https://HOST:PORT)',
    async run(args) {
      const { runKubeconfig } = await import('./kubeconfig-command.js');
      return runKubeconfig(args, toolIO());
    },
  },
  {
    name: 'version',
    aliases: [],
    summary: 'Print the k8ts version',
    async run() {
      const { gitVersion } = await import('../apimachinery/version.js');
      process.stdout.write(`k8ts ${gitVersion}\n`);
      return 0;
    },
  },
];

/** Runs a long-running component command in this process, stopping on SIGINT/SIGTERM or supervisor exit. */
async function runComponent<O>(cmd: ComponentCommand<O>, args: string[]): Promise<number> {
  const shutdown = shutdownSignal();
  try {
    return await runComponentCommand(cmd, args, {
      home: homedir(),
      shutdown: shutdown.signal,
      stdout: (t) => void process.stdout.write(t),
      stderr: (t) => void process.stderr.write(t),
    });
  } finally {
    shutdown.dispose();
  }
}

/** The process's home and output streams, for one-shot tool commands. */
function toolIO() {
  return { home: homedir(), stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
}

/** Returns the command an upstream binary name stands for, or undefined for `k8ts` itself. */
export function commandForInvocationName(invokedAs: string): string | undefined {
  return commands.find((c) => c.aliases.includes(invokedAs))?.name;
}
