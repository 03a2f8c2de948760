// HubSpot webhooks (Webhooks API of a HubSpot app): a JSON array of up to 100
// CRM notifications. New contacts and contact property changes become
// identify calls (and a "Contact Created" / "Contact Deleted" track call);
// companies and deals are kept as objects for the warehouse. Contacts are
// known by their HubSpot record id.
//
// Setup: in your HubSpot app's Webhooks settings set the target URL to this
// source's webhook URL and subscribe to the events below. HubSpot signs each
// request with the app's client secret (X-HubSpot-Signature-v3): put it in
// the "Client secret" setting.

async function onRequest(request, settings) {
  verifySignature(request, settings);

  const batch = parseJson(request);
  if (!Array.isArray(batch)) throw new ValidationError('the body is not an array of HubSpot notifications');

  // A run that throws sends nothing, so notifications this function does not
  // know are skipped (with a warning) rather than failing the whole batch.
  let handled = 0;
  for (const n of batch) {
    if (!n.subscriptionType || !n.objectId) {
      throw new ValidationError('a HubSpot notification without subscriptionType or objectId');
    }
    if (handle(n)) handled++;
    else console.warn(`skipped HubSpot ${n.subscriptionType} (event ${n.eventId})`);
  }
  if (batch.length > 0 && handled === 0) {
    throw new EventNotSupported(`none of the ${batch.length} HubSpot notifications is supported`);
  }
}

// Emits what one notification means; false when it is not supported.
function handle(n) {
  const id = String(n.objectId);
  const common = { messageId: String(n.eventId), timestamp: new Date(n.occurredAt).toISOString() };
  const changed = n.propertyName ? { [n.propertyName]: n.propertyValue } : {};

  switch (n.subscriptionType) {
    case 'contact.creation':
      Segment.identify({ ...common, userId: id, traits: { hubspot_portal_id: n.portalId } });
      Segment.track({ ...common, messageId: `${n.eventId}-track`, userId: id, event: 'Contact Created', properties: { source: n.changeSource } });
      return true;
    case 'contact.propertyChange':
      Segment.identify({ ...common, userId: id, traits: changed });
      return true;
    case 'contact.deletion':
      Segment.track({ ...common, userId: id, event: 'Contact Deleted', properties: { source: n.changeSource } });
      return true;
    case 'company.creation':
    case 'company.propertyChange':
      Segment.set({ collection: 'companies', id, properties: { portal_id: n.portalId, ...changed } });
      return true;
    case 'deal.creation':
    case 'deal.propertyChange':
      Segment.set({ collection: 'deals', id, properties: { portal_id: n.portalId, ...changed } });
      return true;
    default:
      return false;
  }
}

// X-HubSpot-Signature-v3 is the base64 HMAC-SHA256, keyed with the app's
// client secret, of METHOD + URI + BODY + TIMESTAMP, where URI is the full
// URL HubSpot called (with a few escapes decoded, as HubSpot documents) and
// TIMESTAMP is X-HubSpot-Request-Timestamp (milliseconds).
function verifySignature(request, settings) {
  const timestamp = request.headers.get('X-HubSpot-Request-Timestamp');
  const received = request.headers.get('X-HubSpot-Signature-v3') ?? '';
  if (!timestamp || !received) throw new ValidationError('X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp is missing');
  const uri = decodeUri(settings.webhookUrl || request.url.href);
  const source = `POST${uri}${request.text()}${timestamp}`;
  const expected = crypto.createHmac('sha256', settings.clientSecret).update(source).digest('base64');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-HubSpot-Signature-v3 does not match: check the client secret');
  }
  checkAge(Number(timestamp) / 1000, settings.toleranceSeconds);
}

// The escapes HubSpot decodes in the URI before signing it.
const DECODED = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };

function decodeUri(uri) {
  return uri.replace(/%[0-9A-F]{2}/gi, escape => DECODED[escape.toUpperCase()] ?? escape);
}

// Rejects replays: a request signed longer ago than the tolerance (seconds;
// empty: 300, as HubSpot recommends; 0 turns the check off).
function checkAge(signedAt, toleranceSetting) {
  const tolerance = toleranceSetting ? Number(toleranceSetting) : 300;
  if (!(tolerance >= 0)) throw new Error(`toleranceSeconds is not a number of seconds: ${toleranceSetting}`);
  if (tolerance > 0 && Math.abs(Date.now() / 1000 - signedAt) > tolerance) {
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
