// GET /version: the version.Info document clients read first (kubectl's dispatcher picks its binary from
// `minor`, and `kubectl version` parses `gitVersion` as semver).
import { gitVersion, major, minor } from '../apimachinery/version.js';
import { methodNotAllowedResponse } from './discovery/responses.js';
import type { HTTPRequest, HTTPResponse, NonResourceHandler } from './http-types.js';

/** The fields of upstream's version.Info, in its order. */
export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor: string;
  emulationMinor: string;
  minCompatibilityMajor: string;
  minCompatibilityMinor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  /** Upstream reports the Go toolchain here; k8ts reports the JavaScript runtime it runs on. */
  goVersion: string;
  compiler: string;
  platform: string;
}

/** What a build can stamp in; the defaults are upstream's values for an unstamped build. */
export interface BuildInfo {
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
}

/** The version document of this server: Kubernetes 1.36 as implemented by k8ts, on this runtime. */
export function serverVersionInfo(build: BuildInfo = {}): VersionInfo {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: String(Number(minor) - 1),
    gitVersion,
    gitCommit: build.gitCommit ?? '',
    gitTreeState: build.gitTreeState ?? '',
    buildDate: build.buildDate ?? '1970-01-01T00:00:00Z',
    goVersion: `node ${process.version}`,
    compiler: 'v8',
    platform: `${process.platform}/${arch}`,
  };
}

/** Serves /version (and /version/) with the document indented as upstream writes it. */
export class VersionHandler implements NonResourceHandler {
  private readonly body: string;

  constructor(info: VersionInfo = serverVersionInfo()) {
    this.body = JSON.stringify(info, null, 2);
  }

  async handle(req: HTTPRequest): Promise<HTTPResponse | undefined> {
    if (req.path !== '/version' && req.path !== '/version/') return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowedResponse();
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: this.body };
  }
}
