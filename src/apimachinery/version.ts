// The Kubernetes version k8ts implements, as reported by /version and `k8ts version`.

export const major = '1';
export const minor = '36';
export const gitVersion = 'v1.36.0+k8ts';
