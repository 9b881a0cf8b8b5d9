// Container image references as the kubelet and the defaulter read them (the docker reference grammar),
// reduced to what defaulting needs: the tag, which decides a container's imagePullPolicy.

const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referencePattern = new RegExp(
  `^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`,
);
const bareIdentifier = /^[a-f0-9]{64}$/;
const nameMaxLength = 255;

export interface ImageReference {
  /** Repository with its registry, e.g. "docker.io/library/nginx". */
  name: string;
  /** "" when the reference names no tag; "latest" is implied only when it has no digest either. */
  tag: string;
  digest: string;
}

/**
 * Parses an image reference after Docker's normalisation (an implicit docker.io registry and library/
 * repository; repositories must be lower case). Returns undefined for references the runtime would
 * refuse, e.g. "", "NGINX", "nginx:" or a bare 64-hex image ID.
 */
export function parseImageReference(image: string): ImageReference | undefined {
  if (bareIdentifier.test(image)) return undefined;
  // The first path segment is a registry when it looks like a host: a dot, a port, "localhost", or upper case.
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let registry = 'docker.io';
  let remainder = image;
  if (hasRegistry) {
    registry = first;
    remainder = image.slice(slash + 1);
  }
  if (registry === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const repository = remainder.split(/[:@]/, 1)[0]!;
  if (repository.toLowerCase() !== repository) return undefined;
  const match = referencePattern.exec(`${registry}/${remainder}`);
  if (!match || match[1]!.length > nameMaxLength) return undefined;
  return { name: match[1]!, tag: match[2] ?? '', digest: match[3] ?? '' };
}

/**
 * Upstream's default imagePullPolicy: Always when the image's tag is "latest", stated or implied (no tag
 * and no digest); IfNotPresent otherwise, including for references that do not parse.
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const ref = parseImageReference(image);
  if (!ref) return 'IfNotPresent';
  const effectiveTag = ref.tag === '' && ref.digest === '' ? 'latest' : ref.tag;
  return effectiveTag === 'latest' ? 'Always' : 'IfNotPresent';
}
