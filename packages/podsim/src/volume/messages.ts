// User messages (3.3+), after cinder/api/v3/messages.py, cinder/api/v3/views/messages.py and
// cinder/message/api.py: what went wrong with an asynchronous request, readable by the
// project that made it. The simulator records one when a volume create finds no backend
// (a type whose `volume_backend_name` is not this pod's backend): the volume goes to 'error'
// and the message says "schedule allocate volume:Could not find any available weighted backend."
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { CinderEnv, Ctx } from './context';
import { identity, mv, resourceLinks } from './context';
import { notFound } from './faults';
import type { CinderState } from './state';
import { cinderTime } from './state';

export interface SimMessage {
  id: string;
  projectId: string;
  eventId: string;
  userMessage: string;
  level: 'ERROR';
  resourceType: string;
  resourceUuid: string;
  requestId: string;
  createdAt: string;
  expiresAt: string;
}

/** cinder/message/message_field.py: Action.SCHEDULE_ALLOCATE_VOLUME, Detail.NO_BACKEND_AVAILABLE. */
export const SCHEDULE_ALLOCATE_VOLUME: [string, string] = ['001', 'schedule allocate volume'];
export const NO_BACKEND_AVAILABLE: [string, string] = ['003', 'Could not find any available weighted backend.'];

/** cinder.conf `message_ttl` (seconds). */
const MESSAGE_TTL_S = 2_592_000;

/** Records a message the way cinder.message.api.API.create does (event id from its parts). */
export function addMessage(st: CinderState, m: { projectId: string; resourceType: 'VOLUME'; resourceUuid: string; requestId: string; action: [string, string]; detail: [string, string] }): SimMessage {
  const now = Date.now();
  const msg: SimMessage = {
    id: randomUUID(),
    projectId: m.projectId,
    eventId: `VOLUME_${m.resourceType}_${m.action[0]}_${m.detail[0]}`,
    userMessage: `${m.action[1]}:${m.detail[1]}`,
    level: 'ERROR',
    resourceType: m.resourceType,
    resourceUuid: m.resourceUuid,
    requestId: m.requestId,
    createdAt: cinderTime(),
    expiresAt: cinderTime(new Date(now + MESSAGE_TTL_S * 1000).toISOString()),
  };
  st.messages.set(msg.id, msg);
  return msg;
}

function view(c: Ctx, m: SimMessage): Record<string, unknown> {
  return {
    id: m.id,
    event_id: m.eventId,
    user_message: m.userMessage,
    message_level: m.level,
    created_at: m.createdAt,
    guaranteed_until: m.expiresAt,
    request_id: m.requestId,
    links: resourceLinks(c, 'messages', m.id),
    resource_type: m.resourceType,
    resource_uuid: m.resourceUuid,
  };
}

export function messageRoutes(st: CinderState): Hono<CinderEnv> {
  const r = new Hono<CinderEnv>();
  const gate = (c: Ctx) => {
    if (!mv(c, '3.3')) throw notFound('The resource could not be found.');
  };
  const find = (c: Ctx, id: string): SimMessage => {
    const m = st.messages.get(id);
    if (!m || !st.canSee(identity(c), m.projectId)) throw notFound(`Message ${id} could not be found.`);
    return m;
  };
  r.get('/messages', (c) => {
    gate(c);
    const who = identity(c);
    const q = new URL(c.req.url).searchParams;
    // Default order of cinder.api.common.get_sort_params: created_at desc, then id desc.
    let items = [...st.messages.values()].filter((m) => who.isAdmin || m.projectId === who.projectId);
    for (const k of ['event_id', 'resource_type', 'resource_uuid', 'message_level', 'request_id'] as const) {
      const want = q.get(k);
      if (want === null) continue;
      const key = ({ event_id: 'eventId', resource_type: 'resourceType', resource_uuid: 'resourceUuid', message_level: 'level', request_id: 'requestId' } as const)[k];
      items = items.filter((m) => m[key] === want);
    }
    items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const marker = q.get('marker');
    if (marker !== null) {
      const at = items.findIndex((m) => m.id === marker);
      if (at === -1) throw notFound(`Marker ${marker} could not be found.`);
      items = items.slice(at + 1);
    }
    if (q.has('limit')) items = items.slice(0, Number(q.get('limit')));
    return c.json({ messages: items.map((m) => view(c, m)) });
  });
  r.get('/messages/:id', (c) => {
    gate(c);
    return c.json({ message: view(c, find(c, c.req.param('id'))) });
  });
  r.delete('/messages/:id', (c) => {
    gate(c);
    st.messages.delete(find(c, c.req.param('id')).id);
    return c.body(null, 204);
  });
  return r;
}
