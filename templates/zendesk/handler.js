// Zendesk webhooks subscribed to events: new tickets and status changes
// become track calls by the ticket's requester, new users identify calls,
// new organizations objects for the warehouse. Users and tickets are known by
// their Zendesk ids.
//
// Setup: in Admin Center go to Apps and integrations → Webhooks → Create
// webhook, choose "Zendesk events" and the events below, and use this
// source's webhook URL (POST, JSON). Then open the webhook, reveal its
// signing secret and put it in the "Signing secret" setting.

async function onRequest(request, settings) {
  verifySignature(request, settings.signingSecret, settings.toleranceSeconds);

  const { type, id, time, detail, event } = parseJson(request);
  if (!type?.startsWith('zen:event-type:') || !detail?.id) {
    throw new ValidationError('not a Zendesk event: type or detail.id is missing');
  }
  const common = { messageId: id, timestamp: time };

  switch (type.slice('zen:event-type:'.length)) {
    case 'ticket.created':
      Segment.track({ ...common, userId: detail.requester_id, event: 'Ticket Created', properties: ticketProperties(detail) });
      break;

    case 'ticket.status_changed': {
      const status = event.current.toLowerCase();
      Segment.track({
        ...common,
        userId: detail.requester_id,
        event: status === 'solved' ? 'Ticket Solved' : 'Ticket Status Changed',
        properties: { ...ticketProperties(detail), status, previous_status: event.previous.toLowerCase() }
      });
      break;
    }

    case 'user.created':
      Segment.identify({
        ...common,
        userId: detail.id,
        traits: {
          email: detail.email,
          name: detail.name,
          role: detail.role,
          external_id: detail.external_id || undefined,
          created_at: detail.created_at
        }
      });
      // Zendesk writes "0" when the user belongs to no organization.
      if (detail.organization_id && detail.organization_id !== '0') {
        Segment.group({ ...common, messageId: `${id}-group`, userId: detail.id, groupId: detail.organization_id });
      }
      break;

    case 'organization.created':
      Segment.set({
        collection: 'organizations',
        id: detail.id,
        properties: { name: detail.name, external_id: detail.external_id || undefined, created_at: detail.created_at }
      });
      break;

    default:
      throw new EventNotSupported(`Zendesk event ${type} is not supported`);
  }
}

function ticketProperties(ticket) {
  return {
    ticket_id: ticket.id,
    subject: ticket.subject,
    status: ticket.status?.toLowerCase(),
    priority: ticket.priority?.toLowerCase(),
    ticket_type: ticket.type?.toLowerCase(),
    channel: ticket.via?.channel,
    tags: ticket.tags,
    group_id: ticket.group_id
  };
}

// X-Zendesk-Webhook-Signature is the base64 HMAC-SHA256 of TIMESTAMP + BODY
// (nothing between), TIMESTAMP being X-Zendesk-Webhook-Signature-Timestamp.
function verifySignature(request, secret, toleranceSetting) {
  const timestamp = request.headers.get('X-Zendesk-Webhook-Signature-Timestamp');
  const received = request.headers.get('X-Zendesk-Webhook-Signature') ?? '';
  if (!timestamp || !received) throw new ValidationError('X-Zendesk-Webhook-Signature or its timestamp is missing');
  const expected = crypto.createHmac('sha256', secret).update(timestamp + request.text()).digest('base64');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Zendesk-Webhook-Signature does not match: check the signing secret');
  }
  checkAge(Date.parse(timestamp) / 1000, toleranceSetting);
}

// Rejects replays: a request signed longer ago than the tolerance (seconds;
// empty: 300; 0 turns the check off).
function checkAge(signedAt, toleranceSetting) {
  const tolerance = toleranceSetting ? Number(toleranceSetting) : 300;
  if (!(tolerance >= 0)) throw new Error(`toleranceSeconds is not a number of seconds: ${toleranceSetting}`);
  if (tolerance > 0 && !(Math.abs(Date.now() / 1000 - signedAt) <= tolerance)) {
    throw new ValidationError(`the request was signed more than ${tolerance} seconds ago`);
  }
}

// Compares two strings in constant time, whatever their lengths.
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function parseJson(request) {
  try {
    return request.json();
  } catch (e) {
    throw new ValidationError(`the body is not JSON: ${e.message}`);
  }
}
