import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultCronJob, defaultJob } from './batch-v1.js';
import type { JSONObject } from './fields.js';

function kubectlBody(name: string): JSONObject {
  return JSON.parse(readFileSync(new URL(`../testdata/protobuf/${name}.kubectl.json`, import.meta.url), 'utf8')) as JSONObject;
}

const podSpecDefaults = {
  dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
};
const containerDefaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
const jobDefaults = {
  completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false,
  podReplacementPolicy: 'TerminatingOrFailed', manualSelector: false,
};
const { completions: _, ...withoutCompletions } = jobDefaults;
const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } };
const defaultedTemplate = {
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', ...containerDefaults }], ...podSpecDefaults },
};

test('Job defaults as a real cluster shows them', () => {
  const cases: Array<{ name: string; obj: JSONObject; wantSpec: JSONObject; wantLabels?: JSONObject }> = [
    {
      name: 'kubectl create job once --image=busybox -- echo hi',
      obj: kubectlBody('job'),
      wantSpec: {
        ...jobDefaults,
        template: {
          metadata: { creationTimestamp: null },
          spec: {
            containers: [{ name: 'once', image: 'busybox', command: ['echo', 'hi'], resources: {}, imagePullPolicy: 'Always', ...containerDefaults }],
            restartPolicy: 'Never', ...podSpecDefaults,
          },
        },
      },
    },
    {
      // After the Job strategy generated the selector and its template labels: the Job takes them.
      name: 'labels from the template',
      obj: { metadata: { name: 'pi' }, spec: { template: { ...template, metadata: { labels: { 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' } } } } },
      wantSpec: { ...jobDefaults, template: { ...defaultedTemplate, metadata: { labels: { 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' } } } },
      wantLabels: { 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' },
    },
    {
      name: 'own labels win',
      obj: { metadata: { name: 'pi', labels: { team: 'a' } }, spec: { template: { ...template, metadata: { labels: { 'job-name': 'pi' } } } } },
      wantSpec: { ...jobDefaults, template: { ...defaultedTemplate, metadata: { labels: { 'job-name': 'pi' } } } },
      wantLabels: { team: 'a' },
    },
    {
      name: 'a work queue: parallelism without completions',
      obj: { spec: { parallelism: 5, template } },
      wantSpec: { ...withoutCompletions, parallelism: 5, template: defaultedTemplate },
    },
    {
      name: 'completions without parallelism',
      obj: { spec: { completions: 8, completionMode: 'Indexed', backoffLimitPerIndex: 1, template } },
      wantSpec: { ...jobDefaults, completions: 8, completionMode: 'Indexed', backoffLimitPerIndex: 1, backoffLimit: 2147483647, template: defaultedTemplate },
    },
    {
      name: 'pod failure policy',
      obj: {
        spec: {
          podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
          suspend: true, template,
        },
      },
      wantSpec: {
        ...jobDefaults, suspend: true, podReplacementPolicy: 'Failed', template: defaultedTemplate,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      },
    },
  ];
  for (const c of cases) {
    defaultJob(c.obj);
    assert.deepEqual(c.obj.spec, c.wantSpec, c.name);
    assert.deepEqual((c.obj.metadata as JSONObject).labels, c.wantLabels, c.name);
  }
});

test('CronJob defaults: the job template gets PodSpec defaults only', () => {
  const cronJob = kubectlBody('cronjob');
  defaultCronJob(cronJob);
  assert.deepEqual(cronJob.spec, {
    schedule: '*/5 * * * *',
    concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
    jobTemplate: {
      metadata: { name: 'tick', creationTimestamp: null },
      spec: {
        template: {
          metadata: { creationTimestamp: null },
          spec: {
            containers: [{ name: 'tick', image: 'busybox', resources: {}, imagePullPolicy: 'Always', ...containerDefaults }],
            restartPolicy: 'OnFailure', ...podSpecDefaults,
          },
        },
      },
    },
  });
});
