// Every controller the controller manager runs acts, with --use-service-account-credentials, as the service
// account kube-system/<clientName>; upstream's bootstrap policy binds system:controller:<clientName> to exactly
// that account. A controller whose clientName has no such role would be refused by RBAC in a real cluster
// (as the daemonset controller once was: it asked as "daemonset-controller", the role is "daemon-set-controller").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controllerRoleBindings, namespaceRoleBindings } from '../../src/apiserver/authorization/rbac/bootstrap-policy.js';
import { controllerDescriptors } from '../../src/controller-manager/controllers.js';

test("each controller's identity has upstream's controller role bound to it", () => {
  // Cluster-wide roles, and the kube-system Roles of the bootstrap-token controllers.
  const bound = new Set(
    [...controllerRoleBindings, ...namespaceRoleBindings].flatMap((b) =>
      (b.subjects ?? []).filter((s) => s.kind === 'ServiceAccount' && s.namespace === 'kube-system').map((s) => s.name),
    ),
  );
  const missing = controllerDescriptors
    .filter((d) => !d.useRootClient)
    .map((d) => d.clientName ?? d.name)
    .filter((name) => !bound.has(name));
  assert.deepEqual(missing, []);
});
