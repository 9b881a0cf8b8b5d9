// GET / : the list of every path the server answers at the top level, `{"paths": [...]}` sorted, as
// kube-apiserver's index handler serves it (the first thing `curl https://host:6443/` shows in tutorials).
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from './http-types.js';

export class RootPathsHandler implements NonResourceHandler {
  /** `paths` is asked on every request, so the list follows CRDs and late-registered handlers. */
  constructor(private readonly paths: () => readonly string[]) {}

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    if (req.path !== '/' && req.path !== '') return undefined;
    const paths = [...new Set(this.paths())].sort();
    const body = JSON.stringify({ paths }, null, 2);
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: req.method === 'HEAD' ? '' : body };
  }
}
