import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName } from './name-validators.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const namePartMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('name and key syntax checks report upstream messages', () => {
  const cases: Array<{ name: string; fn: (v: string) => string[]; value: string; want: string[] }> = [
    { name: 'subdomain ok', fn: isDNS1123Subdomain, value: 'example.com', want: [] },
    { name: 'subdomain upper case', fn: isDNS1123Subdomain, value: 'Foo', want: [subdomainMsg] },
    { name: 'subdomain trailing dash', fn: isDNS1123Subdomain, value: 'a-', want: [subdomainMsg] },
    { name: 'subdomain 253 ok', fn: isDNS1123Subdomain, value: `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61), want: [] },
    {
      name: 'subdomain 254 too long',
      fn: isDNS1123Subdomain,
      value: `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(62),
      want: ['must be no more than 253 characters'],
    },
    { name: 'label ok', fn: isDNS1123Label, value: '0abc-d', want: [] },
    { name: 'label with dots', fn: isDNS1123Label, value: 'a.b', want: ['must not contain dots'] },
    { name: 'label underscore', fn: isDNS1123Label, value: 'a_b', want: [labelMsg] },
    { name: 'label 64', fn: isDNS1123Label, value: 'a'.repeat(64), want: ['must be no more than 63 characters'] },
    { name: 'dns1035 ok', fn: isDNS1035Label, value: 'web-1', want: [] },
    { name: 'dns1035 leading digit', fn: isDNS1035Label, value: '1web', want: [dns1035Msg] },
    { name: 'label value empty ok', fn: isValidLabelValue, value: '', want: [] },
    { name: 'label value mixed ok', fn: isValidLabelValue, value: 'My_Value.1', want: [] },
    { name: 'label value space', fn: isValidLabelValue, value: 'a b', want: [labelValueMsg] },
    {
      name: 'label value 64',
      fn: isValidLabelValue,
      value: 'a'.repeat(64),
      want: ['must be no more than 63 characters'],
    },
    { name: 'qualified plain', fn: isQualifiedName, value: 'app', want: [] },
    { name: 'qualified prefixed', fn: isQualifiedName, value: 'app.kubernetes.io/name', want: [] },
    { name: 'qualified bad name', fn: isQualifiedName, value: 'a b', want: [namePartMsg] },
    { name: 'qualified empty name', fn: isQualifiedName, value: 'x/', want: ['name part must be non-empty', namePartMsg] },
    { name: 'qualified empty prefix', fn: isQualifiedName, value: '/x', want: ['prefix part must be non-empty'] },
    { name: 'qualified bad prefix', fn: isQualifiedName, value: 'Ex.com/x', want: [`prefix part ${subdomainMsg}`] },
    {
      name: 'qualified long name',
      fn: isQualifiedName,
      value: 'a'.repeat(64),
      want: ['name part must be no more than 63 characters'],
    },
    {
      name: 'qualified two slashes',
      fn: isQualifiedName,
      value: 'a/b/c',
      want: [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    },
    { name: 'path segment dot', fn: isValidPathSegmentName, value: '.', want: ["may not be '.'"] },
    { name: 'path segment dotdot', fn: isValidPathSegmentName, value: '..', want: ["may not be '..'"] },
    { name: 'path segment slash', fn: isValidPathSegmentName, value: 'a/b%', want: ["may not contain '/'", "may not contain '%'"] },
    { name: 'path segment ok', fn: isValidPathSegmentName, value: 'system:admin', want: [] },
    { name: 'path prefix dot ok', fn: isValidPathSegmentPrefix, value: '.', want: [] },
  ];
  for (const c of cases) assert.deepEqual(c.fn(c.value), c.want, c.name);
});

test('name validators accept a trailing dash only for generateName prefixes', () => {
  const cases = [
    { fn: nameIsDNSSubdomain, name: 'web-', prefix: true, ok: true },
    { fn: nameIsDNSSubdomain, name: 'web-', prefix: false, ok: false },
    { fn: nameIsDNSLabel, name: 'ns-', prefix: true, ok: true },
    { fn: nameIsDNS1035Label, name: 'svc-', prefix: true, ok: true },
    { fn: nameIsDNS1035Label, name: '1svc-', prefix: true, ok: false },
    { fn: nameIsDNSSubdomain, name: 'Web-', prefix: true, ok: false },
    { fn: validatePathSegmentName, name: '..', prefix: true, ok: true },
    { fn: validatePathSegmentName, name: '..', prefix: false, ok: false },
  ];
  for (const c of cases) assert.equal(c.fn(c.name, c.prefix).length === 0, c.ok, `${c.name} prefix=${c.prefix}`);
});
