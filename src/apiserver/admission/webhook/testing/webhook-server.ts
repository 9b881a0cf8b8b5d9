// A test admission webhook: HTTPS on 127.0.0.1 with a freshly generated CA, answering AdmissionReviews with
// what the test's handler decides. Used by the in-process webhook tests, the e2e tests and the benchmark.

import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { generateSelfSigned } from '../../../serving-cert.js';
import type { AdmissionReviewResponse } from '../review.js';

export interface ReceivedReview {
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: any;
}

/** The handler's answer: a response (uid is filled in), or 'hang' to never answer. */
export type WebhookAnswer = Omit<AdmissionReviewResponse, 'uid'> | 'hang';

export interface TestWebhookServer {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  /** base64 PEM of the CA, for clientConfig.caBundle. */
  caBundle: string;
  /** Every review received, in order. */
  reviews: ReceivedReview[];
  close(): Promise<void>;
}

/** JSON Patch (base64) that sets one label, creating metadata.labels when absent. */
export function addLabelPatch(obj: { metadata?: { labels?: Record<string, string> } } | null | undefined, key: string, value: string): string {
  const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
  const ops = obj?.metadata?.labels ? [{ op: 'add', path: `/metadata/labels/${escaped}`, value }] : [{ op: 'add', path: '/metadata/labels', value: { [key]: value } }];
  return Buffer.from(JSON.stringify(ops)).toString('base64');
}

export async function startTestWebhookServer(opts: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle: (path: string, request: any) => WebhookAnswer;
  /** Names the certificate is valid for besides 127.0.0.1 and localhost (e.g. "hook.team.svc"). */
  dnsNames?: string[];
  /** Answers this many milliseconds late (a slow webhook). */
  delayMs?: number;
}): Promise<TestWebhookServer> {
  const pair = await generateSelfSigned({ dns: ['localhost', ...(opts.dnsNames ?? [])], ips: ['127.0.0.1'] });
  const reviews: ReceivedReview[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      reviews.push({ path, request: review.request });
      const answer = opts.handle(path, review.request);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      const reply = () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, ...answer } }));
      };
      if (opts.delayMs) setTimeout(reply, opts.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caBundle: Buffer.from(pair.ca).toString('base64'),
    reviews,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (a webhook that is down). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
