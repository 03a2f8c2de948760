// SendGrid Event Webhook: a JSON array of email events (delivered, opened,
// clicked, bounced, …) becomes one track call per event.
//
// Authenticity: SendGrid's "Signed Event Webhook" signs with an ECDSA key
// pair, and checking it needs crypto.verify, which this runtime does not
// offer. This function checks a shared token instead, sent either in the URL
// (…?token=SECRET) or as the password of HTTP Basic auth
// (https://segment:SECRET@…). Setup: in SendGrid go to Settings → Mail
// Settings → Event Webhooks, use this source's webhook URL with ?token= and
// the value of the "Webhook token" setting appended, and keep the URL secret.
//
// userId: the user_id custom argument when you send mail with one
// (custom_args: {user_id: …}), else the recipient's email address.

const EVENTS = {
  processed: 'Email Sent',
  delivered: 'Email Delivered',
  deferred: 'Email Deferred',
  open: 'Email Opened',
  click: 'Email Link Clicked',
  bounce: 'Email Bounced',
  dropped: 'Email Dropped',
  spamreport: 'Email Marked as Spam',
  unsubscribe: 'Unsubscribed',
  group_unsubscribe: 'Group Unsubscribed',
  group_resubscribe: 'Group Resubscribed'
};

async function onRequest(request, settings) {
  checkToken(request, settings.webhookToken);

  const batch = parseJson(request);
  if (!Array.isArray(batch)) throw new ValidationError('the body is not an array of SendGrid events');

  // A run that throws sends nothing, so events this function does not know
  // are skipped (with a warning) rather than failing the whole batch.
  let tracked = 0;
  for (const e of batch) {
    if (!e.event || !e.email) throw new ValidationError('a SendGrid event without event or email');
    const name = EVENTS[e.event];
    if (!name) {
      console.warn(`skipped SendGrid event ${e.event} (${e.sg_event_id})`);
      continue;
    }
    Segment.track({
      userId: e.user_id || e.email,
      event: name,
      messageId: e.sg_event_id,
      timestamp: new Date(e.timestamp * 1000).toISOString(),
      properties: {
        email: e.email,
        email_id: e.sg_message_id,
        category: e.category,
        url: e.url,
        reason: e.reason,
        status: e.status,
        bounce_type: e.type,
        user_agent: e.useragent,
        ip: e.ip,
        asm_group_id: e.asm_group_id
      }
    });
    tracked++;
  }
  if (batch.length > 0 && tracked === 0) {
    throw new EventNotSupported(`none of the ${batch.length} SendGrid events is supported`);
  }
}

// The token from ?token=, or the password of an Authorization: Basic header.
function checkToken(request, expected) {
  const auth = request.headers.get('Authorization') ?? '';
  const token = auth.startsWith('Basic ')
    ? atob(auth.slice('Basic '.length)).split(':').slice(1).join(':')
    : request.url.searchParams.get('token') ?? '';
  if (!safeEqual(token, expected)) {
    throw new ValidationError('the webhook token is missing or wrong: check the URL configured in SendGrid');
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
