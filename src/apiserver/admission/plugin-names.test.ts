import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completeAPIServerOptions, newAPIServerFlagSet } from '../flags.js';
import { allOrderedPlugins, defaultOnPlugins, enabledPluginNames, validateAdmissionFlags } from './plugin-names.js';

test('flags: unknown names and overlaps are refused in upstream words', () => {
  const cases = [
    { enable: ['NodeRestriction'], disable: [], want: [] },
    { enable: ['NoSuchPlugin'], disable: [], want: ['enable-admission-plugins plugin "NoSuchPlugin" is unknown'] },
    { enable: [], disable: ['Nope'], want: ['disable-admission-plugins plugin "Nope" is unknown'] },
    {
      enable: ['ServiceAccount', 'NodeRestriction'],
      disable: ['ServiceAccount', 'NodeRestriction'],
      want: ['[NodeRestriction ServiceAccount] in enable-admission-plugins and disable-admission-plugins overlapped'],
    },
  ];
  for (const c of cases) assert.deepEqual(validateAdmissionFlags(c), c.want, JSON.stringify(c));
});

test('enabled plugins follow upstream order whatever order the flags give', () => {
  const defaults = enabledPluginNames({});
  assert.deepEqual(defaults.slice(0, 3), ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount']);
  assert.deepEqual(defaults.slice(-4), ['MutatingAdmissionWebhook', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionWebhook', 'ResourceQuota']);
  assert.equal(defaults.length, defaultOnPlugins.size);
  const cases = [
    { flags: { enable: ['NodeRestriction'] }, has: ['NodeRestriction'], lacks: [] as string[], after: ['ServiceAccount', 'NodeRestriction'] },
    { flags: { enable: ['ResourceQuota', 'NodeRestriction', 'NamespaceLifecycle'] }, has: ['NodeRestriction'], lacks: [], after: ['NodeRestriction', 'TaintNodesByCondition'] },
    { flags: { disable: ['ServiceAccount', 'PodSecurity'] }, has: ['Priority'], lacks: ['ServiceAccount', 'PodSecurity'], after: ['LimitRanger', 'TaintNodesByCondition'] },
    { flags: { enable: ['AlwaysDeny'] }, has: ['AlwaysDeny'], lacks: [], after: ['ResourceQuota', 'AlwaysDeny'] },
  ];
  for (const c of cases) {
    const names = enabledPluginNames(c.flags);
    for (const n of c.has) assert.ok(names.includes(n), `${n} in ${names}`);
    for (const n of c.lacks) assert.ok(!names.includes(n), `${n} not in ${names}`);
    assert.ok(names.indexOf(c.after[0]) < names.indexOf(c.after[1]), `${c.after} in order`);
    assert.deepEqual(names, allOrderedPlugins.filter((n) => names.includes(n)));
  }
});

test('kube-apiserver flags: unknown plugin names stop the start with upstream errors', () => {
  const cases = [
    { args: ['--enable-admission-plugins=NodeRestriction,NamespaceLifecycle'], want: [] as string[] },
    { args: ['--enable-admission-plugins=NodeRestrictions'], want: ['enable-admission-plugins plugin "NodeRestrictions" is unknown'] },
    { args: ['--disable-admission-plugins=ServiceAccount', '--enable-admission-plugins=ServiceAccount'], want: ['[ServiceAccount] in enable-admission-plugins and disable-admission-plugins overlapped'] },
  ];
  for (const c of cases) {
    const { flags, options } = newAPIServerFlagSet('/home/u');
    assert.equal(flags.parse(c.args).kind, 'ok');
    assert.deepEqual(completeAPIServerOptions(flags, options).filter((e) => e.includes('admission-plugins')), c.want, c.args.join(' '));
  }
});
