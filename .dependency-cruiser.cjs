// The one-way layering rule of ARCHITECTURE.md, checked in CI (npm run lint).
// Lower layers never import higher ones; components never import each other.
const components = '(apiserver|controller-manager|scheduler|kubelet|proxy|dns|ingress|dashboard)';
const above = {
  base: '^src/(apimachinery|api|storage|client|pki|' + components.slice(1, -1) + '|cluster|cli)/',
  apimachinery: '^src/(api|storage|client|pki|' + components.slice(1, -1) + '|cluster|cli)/',
  api: '^src/(storage|client|pki|' + components.slice(1, -1) + '|cluster|cli)/',
  storage: '^src/(client|pki|' + components.slice(1, -1) + '|cluster|cli)/',
  pki: '^src/(storage|client|' + components.slice(1, -1) + '|cluster|cli)/',
  client: '^src/(storage|' + components.slice(1, -1) + '|cluster|cli)/',
  cluster: '^src/cli/',
};

module.exports = {
  forbidden: [
    ...Object.entries(above).map(([layer, to]) => ({
      name: `layer-${layer}`,
      comment: `src/${layer} must not import from layers above it`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: to },
    })),
    {
      name: 'components-are-independent',
      comment: 'components talk only through the API server, never by import',
      severity: 'error',
      from: { path: `^src/${components}/` },
      to: { path: `^src/${components}/`, pathNot: '^src/$1/' },
    },
    {
      name: 'only-apiserver-touches-storage',
      severity: 'error',
      from: { path: `^src/(controller-manager|scheduler|kubelet|proxy|dns|ingress|dashboard)/` },
      to: { path: '^src/storage/' },
    },
    {
      name: 'src-does-not-import-tests-or-tools',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|tools|bench)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
