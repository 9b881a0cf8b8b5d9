// ControllerRevision bookkeeping: stable hashes and names, reuse of the latest equal revision, renumbering
// of an older equal one, collision handling, and history truncation that spares live revisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAlreadyExists } from '../apimachinery/errors.js';
import {
  controllerRevisionHashLabel,
  controllerRevisionsResource,
  ensureRevision,
  hashControllerRevision,
  newControllerRevision,
  revisionData,
  templateOfRevision,
  truncateHistory,
  type ControllerRevision,
} from './controller-history.js';
import { FakeClient } from './testing/fake-client.js';

const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'set-uid' } };
const ownerKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function revision(image: string, n: number): ControllerRevision {
  const r = newControllerRevision({ owner, ownerKind, labels: { app: 'web' }, data: revisionData(template(image)), revision: n, collisionCount: 0 });
  r.metadata!.resourceVersion = '1';
  return r;
}

test('revision data round-trips the template and hashes are stable and collision-sensitive', () => {
  const data = revisionData(template('nginx:1'));
  assert.equal((data.spec.template as { $patch?: string }).$patch, 'replace');
  assert.deepEqual(templateOfRevision(data), template('nginx:1'));
  assert.equal(hashControllerRevision(data), hashControllerRevision(revisionData(template('nginx:1'))));
  assert.notEqual(hashControllerRevision(data), hashControllerRevision(revisionData(template('nginx:2'))));
  assert.notEqual(hashControllerRevision(data, 0), hashControllerRevision(data, 1));
  const r = revision('nginx:1', 1);
  assert.equal(r.metadata?.name, `web-${r.metadata?.labels?.[controllerRevisionHashLabel]}`);
  assert.deepEqual(r.metadata?.labels?.app, 'web');
  assert.equal(r.metadata?.ownerReferences?.[0]?.controller, true);
});

test('ensureRevision reuses, renumbers, creates, and survives a hash collision', async () => {
  const base = { client: new FakeClient(), owner, ownerKind, labels: { app: 'web' }, collisionCount: 0 };
  const v1 = revision('nginx:1', 1);
  const v2 = revision('nginx:2', 2);
  for (const r of [v1, v2]) base.client.seed(controllerRevisionsResource, r);

  const same = await ensureRevision({ ...base, data: revisionData(template('nginx:2')), revisions: [v1, v2] });
  assert.equal(same.updateRevision, v2);
  assert.equal(base.client.writes().length, 0, 'the latest revision is reused as is');

  const back = await ensureRevision({ ...base, data: revisionData(template('nginx:1')), revisions: [v1, v2] });
  assert.equal(back.updateRevision.metadata?.name, v1.metadata?.name);
  assert.equal(back.updateRevision.revision, 3, 'rolling back renumbers the old revision');

  const fresh = await ensureRevision({ ...base, data: revisionData(template('nginx:3')), revisions: [v1, v2] });
  assert.equal(fresh.updateRevision.revision, 3);
  assert.equal(fresh.revisions.length, 3);

  const client = new FakeClient();
  let first = true;
  client.prependReactor((a) => {
    if (a.verb === 'create' && first) {
      first = false;
      return newAlreadyExists({ group: 'apps', resource: 'controllerrevisions' }, a.name);
    }
    return undefined;
  });
  // Someone else's revision holds the name our first hash gives.
  client.seed(controllerRevisionsResource, { ...revision('other', 1), metadata: { ...revision('nginx:4', 1).metadata, ownerReferences: [] } });
  const collided = await ensureRevision({ ...base, client, data: revisionData(template('nginx:4')), revisions: [] });
  assert.equal(collided.collisionCount, 1);
  assert.equal(collided.updateRevision.metadata?.labels?.[controllerRevisionHashLabel], hashControllerRevision(revisionData(template('nginx:4')), 1));
});

test('truncateHistory deletes the oldest non-live revisions beyond the limit', async () => {
  const client = new FakeClient();
  const revisions = ['a', 'b', 'c', 'd'].map((img, i) => revision(img, i + 1));
  for (const r of revisions) client.seed(controllerRevisionsResource, r);
  await truncateHistory({ client, namespace: 'default', revisions, live: new Set([revisions[0]!.metadata!.name!, revisions[3]!.metadata!.name!]), limit: 1 });
  assert.deepEqual(client.writes().map((a) => [a.verb, a.name]), [['delete', revisions[1]!.metadata!.name]]);
});
