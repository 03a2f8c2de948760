// Calendly webhooks: a booked meeting becomes an identify of the invitee and
// a "Meeting Scheduled" track call; a canceled one "Meeting Canceled".
// Calendly knows invitees by email address, so the email is the userId.
//
// Setup: create a webhook subscription with Calendly's API
// (POST /webhook_subscriptions) for invitee.created and invitee.canceled,
// with this source's webhook URL and a signing_key you choose: the same value
// as the "Signing key" setting. (OAuth apps get a signing key from Calendly.)

async function onRequest(request, settings) {
  verifySignature(request, settings.signingKey, settings.toleranceSeconds);

  const { event, created_at: createdAt, payload: invitee } = parseJson(request);
  if (!event || !invitee) throw new ValidationError('not a Calendly webhook: event or payload is missing');
  if (event !== 'invitee.created' && event !== 'invitee.canceled') {
    throw new EventNotSupported(`Calendly event ${event} is not supported`);
  }
  if (!invitee.email || !invitee.scheduled_event) {
    throw new ValidationError(`${event} without the invitee's email or scheduled_event`);
  }

  const meeting = invitee.scheduled_event;
  const properties = {
    meeting_name: meeting.name,
    start_time: meeting.start_time,
    end_time: meeting.end_time,
    location_type: meeting.location?.type,
    host: meeting.event_memberships?.[0]?.user_email,
    invitee_uri: invitee.uri,
    rescheduled: invitee.rescheduled,
    utm_source: invitee.tracking?.utm_source ?? undefined,
    utm_campaign: invitee.tracking?.utm_campaign ?? undefined
  };
  const common = { userId: invitee.email, timestamp: createdAt };

  if (event === 'invitee.created') {
    Segment.identify({
      ...common,
      traits: {
        email: invitee.email,
        name: invitee.name,
        first_name: invitee.first_name ?? undefined,
        last_name: invitee.last_name ?? undefined,
        timezone: invitee.timezone
      }
    });
    const answers = Object.fromEntries((invitee.questions_and_answers ?? []).map(qa => [qa.question, qa.answer]));
    Segment.track({ ...common, event: 'Meeting Scheduled', properties: { ...properties, answers } });
  } else {
    Segment.track({
      ...common,
      event: 'Meeting Canceled',
      properties: {
        ...properties,
        canceled_by: invitee.cancellation?.canceled_by,
        canceler_type: invitee.cancellation?.canceler_type,
        reason: invitee.cancellation?.reason || undefined
      }
    });
  }
}

// Calendly-Webhook-Signature is "t=TIMESTAMP,v1=SIGNATURE": the hex
// HMAC-SHA256 of "TIMESTAMP.BODY" with the subscription's signing key.
function verifySignature(request, key, toleranceSetting) {
  const header = request.headers.get('Calendly-Webhook-Signature') ?? '';
  const parts = Object.fromEntries(header.split(',').map(part => part.trim().split('=')));
  if (!parts.t || !parts.v1) throw new ValidationError('Calendly-Webhook-Signature is missing or has no t= and v1=');
  const expected = crypto.createHmac('sha256', key).update(`${parts.t}.${request.text()}`).digest('hex');
  if (!safeEqual(parts.v1, expected)) {
    throw new ValidationError('Calendly-Webhook-Signature does not match: check the signing key');
  }
  checkAge(Number(parts.t), toleranceSetting);
}

// Rejects replays: a request signed longer ago than the tolerance (seconds;
// empty: 180, as Calendly suggests; 0 turns the check off).
function checkAge(signedAt, toleranceSetting) {
  const tolerance = toleranceSetting ? Number(toleranceSetting) : 180;
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
