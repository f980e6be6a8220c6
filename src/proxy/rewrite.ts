/**
 * Response rewriting. Pods build links from the URL the gateway called, so a link in a pod's
 * body starts with the pod's service root (`http://pod/compute`); users must get the gateway's
 * root instead (they may not reach pods at all). One string replacement on the JSON text covers
 * `self`, `bookmark` and `*_links` alike.
 */
const VERSION_SEGMENT = /^v\d+(\.\d+)?$/;

/** Parsed roots by endpoint: every forwarded answer needs one, and a pod has few endpoints. */
const ROOTS = new Map<string, string>();
/** Bound on the memo; far above any real pod count × service count. */
const ROOTS_MAX = 1024;

/** `http://h/compute/v2.1` → `http://h/compute`; `http://h/volume/v3/%(project_id)s` → `http://h/volume`. */
export function serviceRoot(endpoint: string): string {
  let root = ROOTS.get(endpoint);
  if (root === undefined) {
    if (ROOTS.size >= ROOTS_MAX) ROOTS.clear();
    ROOTS.set(endpoint, (root = parseRoot(endpoint)));
  }
  return root;
}

function parseRoot(endpoint: string): string {
  const url = new URL(endpoint);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const version = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  const kept = version === -1 ? segments : segments.slice(0, version);
  return url.origin + (kept.length ? `/${kept.join('/')}` : '');
}

/** The texts `rewriteLinks` looks for and puts instead, for one pod root and gateway root. */
interface LinkPatterns {
  /** The pod root with JSON's optional `\/` escape. */
  escaped: string;
  /** [search, replacement] pairs, replacements with `$` doubled for String#replaceAll. */
  plain: [string, string];
  escapedPath: [string, string];
  quoted: [string, string];
}

/** Patterns by pod root, then gateway root: few of each, and every answer needs them. */
const PATTERNS = new Map<string, Map<string, LinkPatterns>>();

function patterns(podRoot: string, gatewayRoot: string): LinkPatterns {
  let byGateway = PATTERNS.get(podRoot);
  if (byGateway === undefined) {
    if (PATTERNS.size >= ROOTS_MAX) PATTERNS.clear();
    PATTERNS.set(podRoot, (byGateway = new Map()));
  }
  let p = byGateway.get(gatewayRoot);
  if (p === undefined) {
    const escaped = podRoot.replaceAll('/', '\\/');
    const literal = (t: string) => t.replaceAll('$', '$$$$');
    p = {
      escaped,
      plain: [`${podRoot}/`, literal(`${gatewayRoot}/`)],
      escapedPath: [`${escaped}\\/`, literal(`${gatewayRoot.replaceAll('/', '\\/')}\\/`)],
      quoted: [`"${podRoot}"`, literal(`"${gatewayRoot}"`)],
    };
    if (byGateway.size >= ROOTS_MAX) byGateway.clear();
    byGateway.set(gatewayRoot, p);
  }
  return p;
}

/** Replaces the pod's root with the gateway's in a JSON text (both without trailing slash). */
export function rewriteLinks(text: string, podRoot: string, gatewayRoot: string): string {
  if (podRoot === gatewayRoot) return text;
  // JSON may escape '/' as '\/'; Nova and Cinder do not, but be safe for both spellings.
  const p = patterns(podRoot, gatewayRoot);
  // Every spelling replaced below starts with one of these two: a text holding neither (most
  // header values) comes back as it is.
  if (!text.includes(podRoot) && !text.includes(p.escaped)) return text;
  let out = text.replaceAll(p.plain[0], p.plain[1]);
  if (out.includes(p.escaped)) out = out.replaceAll(p.escapedPath[0], p.escapedPath[1]);
  // A link to the root itself (no path after it), e.g. a version document.
  return out.replaceAll(p.quoted[0], p.quoted[1]);
}
