// Reads Keystone's token document (the body of POST and GET /v3/auth/tokens) into our Identity
// and CatalogEntry shapes. The body comes from the network, so it is checked with valibot
// before use; fields we do not need are ignored, fields we rely on must be there.
import * as v from 'valibot';
import type { CatalogEntry, Identity } from './types';

const Named = v.object({ id: v.string(), name: v.optional(v.string()) });
const WithDomain = v.object({
  id: v.string(),
  name: v.optional(v.string()),
  domain: v.optional(v.object({ id: v.optional(v.string()) })),
});
const Endpoint = v.object({
  region: v.optional(v.nullable(v.string())),
  region_id: v.optional(v.nullable(v.string())),
  interface: v.string(),
  url: v.string(),
});
const Service = v.object({ type: v.string(), name: v.optional(v.string()), endpoints: v.array(Endpoint) });

const TokenBody = v.object({
  token: v.object({
    expires_at: v.pipe(v.string(), v.check((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp')),
    user: WithDomain,
    project: v.optional(WithDomain),
    domain: v.optional(Named),
    roles: v.optional(v.array(Named)),
    catalog: v.optional(v.array(Service)),
  }),
});

/** Returns why the body is not a token document, or the parsed identity. */
export function parseTokenBody(body: unknown): { ok: true; identity: Identity } | { ok: false; reason: string } {
  const r = v.safeParse(TokenBody, body);
  if (!r.success) return { ok: false, reason: r.issues.map((i) => `${v.getDotPath(i) ?? 'body'}: ${i.message}`).join('; ') };
  const t = r.output.token;
  const roles = (t.roles ?? []).map((role) => role.name ?? role.id);
  return {
    ok: true,
    identity: {
      userId: t.user.id,
      userName: t.user.name,
      projectId: t.project?.id ?? null,
      projectName: t.project?.name,
      domainId: t.project?.domain?.id ?? t.domain?.id ?? t.user.domain?.id,
      roles,
      isAdmin: roles.some((role) => role.toLowerCase() === 'admin'),
      expiresAt: new Date(t.expires_at),
      catalog: toCatalog(t.catalog ?? []),
    },
  };
}

function toCatalog(services: v.InferOutput<typeof Service>[]): CatalogEntry[] {
  return services.map((s) => ({
    type: s.type,
    ...(s.name === undefined ? {} : { name: s.name }),
    endpoints: s.endpoints.map((e) => ({
      // Keystone v3 fills both; 'region' is deprecated but what v2-era tools read.
      region: e.region ?? e.region_id ?? '',
      ...(e.region_id ? { region_id: e.region_id } : {}),
      interface: e.interface,
      url: e.url,
    })),
  }));
}
