// GET /metrics: the Prometheus text exposition; DELETE /metrics resets the counters, as upstream allows.
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from '../http-types.js';
import type { PrometheusAPIServerMetrics } from './registry.js';

export class MetricsHandler implements NonResourceHandler {
  constructor(private readonly metrics: PrometheusAPIServerMetrics) {}

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    if (req.path !== '/metrics') return undefined;
    if (req.method === 'GET' || req.method === 'HEAD') {
      const { contentType, body } = await this.metrics.exposition();
      return { status: 200, headers: { 'Content-Type': contentType }, body: req.method === 'HEAD' ? '' : body };
    }
    if (req.method === 'DELETE') {
      this.metrics.reset();
      return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'metrics reset\n' };
    }
    return {
      status: 405,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, DELETE' },
      body: 'Method Not Allowed\n',
    };
  }
}
