// The registry of k8ts commands: one explicit list, assembled here, no import side effects.

export interface Command {
  name: string;
  /** Upstream binary names that invoke this command through a symlink (e.g. kube-apiserver). */
  aliases: string[];
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Command[] = [
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

/** Returns the command an upstream binary name stands for, or undefined for `k8ts` itself. */
export function commandForInvocationName(invokedAs: string): string | undefined {
  return commands.find((c) => c.aliases.includes(invokedAs))?.name;
}
