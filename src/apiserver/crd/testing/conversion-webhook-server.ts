// A test CRD conversion webhook: HTTPS on 127.0.0.1 with a freshly generated CA, answering ConversionReviews.
// By default it converts the test CRD's objects (spec.cronSpec in v1, spec.schedule in v2) and answers
// Success; a test can answer anything instead, to see how the apiserver takes a misbehaving webhook.

import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateSelfSigned } from '../../serving-cert.js';
import type { APIObject } from '../../registry/strategy.js';

export interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: APIObject[];
}

/** The whole review to send back, or 'hang' to never answer. */
export type ConversionAnswer = Record<string, unknown> | 'hang';

export interface TestConversionWebhook {
  /** https://127.0.0.1:<port>/convert */
  url: string;
  port: number;
  /** base64 PEM of the CA, for clientConfig.caBundle. */
  caBundle: string;
  /** Every request received, in order. */
  requests: ConversionRequest[];
  /** Replaces the answer (tests of failure modes); undefined restores the default. */
  answerWith(answer: ((review: { apiVersion: string; request: ConversionRequest }) => ConversionAnswer) | undefined): void;
  close(): Promise<void>;
}

/**
 * The test CRD's conversion between v1 (`spec.cronSpec`) and v2 (`spec.schedule`), for any group: the
 * field is renamed, everything else kept, and v2 objects record the version they came from in an annotation.
 */
export function convertCronTab(obj: APIObject, desiredAPIVersion: string): APIObject {
  const out = structuredClone(obj);
  const spec = { ...((out.spec as Record<string, unknown> | undefined) ?? {}) };
  const toV2 = desiredAPIVersion.endsWith('/v2');
  if (toV2 && 'cronSpec' in spec) {
    spec.schedule = spec.cronSpec;
    delete spec.cronSpec;
  } else if (!toV2 && 'schedule' in spec) {
    spec.cronSpec = spec.schedule;
    delete spec.schedule;
  }
  out.spec = spec;
  out.apiVersion = desiredAPIVersion;
  return out;
}

/** The Success review for `request`, converting each object with `convert`. */
export function successReview(apiVersion: string, request: ConversionRequest, convert = convertCronTab): Record<string, unknown> {
  return {
    apiVersion,
    kind: 'ConversionReview',
    response: { uid: request.uid, result: { status: 'Success' }, convertedObjects: request.objects.map((o) => convert(o, request.desiredAPIVersion)) },
  };
}

export async function startTestConversionWebhook(opts: { path?: string; dnsNames?: string[] } = {}): Promise<TestConversionWebhook> {
  const path = opts.path ?? '/convert';
  const pair = await generateSelfSigned({ dns: ['localhost', ...(opts.dnsNames ?? [])], ips: ['127.0.0.1'] });
  const requests: ConversionRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  let answer: ((review: { apiVersion: string; request: ConversionRequest }) => ConversionAnswer) | undefined;
  const server = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion: string; request: ConversionRequest };
      requests.push(review.request);
      const reply = answer ? answer(review) : successReview(review.apiVersion, review.request);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}${path}`,
    port,
    caBundle: Buffer.from(pair.ca).toString('base64'),
    requests,
    answerWith(a) {
      answer = a;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
