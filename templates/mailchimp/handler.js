// Mailchimp audience webhooks (form-urlencoded): subscribes, unsubscribes,
// profile updates, email changes and cleaned addresses become identify,
// track and alias calls; sent campaigns are kept as objects. Mailchimp
// knows members by email address, so the email is the userId.
//
// Authenticity: Mailchimp does not sign its webhooks. This function checks
// a secret token in the URL instead. Setup: in Mailchimp go to Audience →
// Manage Audience → Settings → Webhooks, and use this source's webhook URL
// with ?token= and the value of the "Webhook token" setting appended.

async function onRequest(request, settings) {
  checkToken(request, settings.webhookToken);

  // Mailchimp checks the URL with an empty request when the webhook is saved.
  if (request.text() === '') {
    console.log('empty request: Mailchimp checking the webhook URL; nothing to do');
    return;
  }
  const { type, fired_at: firedAt, data } = nest(request.json());
  if (!type || !data) throw new ValidationError('not a Mailchimp webhook: type or data is missing');

  // fired_at is "YYYY-MM-DD HH:MM:SS" in GMT.
  const timestamp = new Date(firedAt.replace(' ', 'T') + 'Z').toISOString();
  const list = { list_id: data.list_id };

  switch (type) {
    case 'subscribe':
    case 'profile': {
      const merges = data.merges ?? {};
      Segment.identify({
        userId: data.email,
        timestamp,
        traits: {
          email: data.email,
          first_name: merges.FNAME || undefined,
          last_name: merges.LNAME || undefined,
          interests: merges.INTERESTS ? merges.INTERESTS.split(',').map(s => s.trim()) : undefined,
          mailchimp_id: data.id,
          email_type: data.email_type
        }
      });
      if (type === 'subscribe') {
        Segment.track({ userId: data.email, timestamp, event: 'List Subscribed', properties: { ...list, ip: data.ip_opt } });
      }
      break;
    }

    case 'unsubscribe':
      Segment.track({
        userId: data.email,
        timestamp,
        event: 'List Unsubscribed',
        properties: { ...list, action: data.action, reason: data.reason, campaign_id: data.campaign_id || undefined }
      });
      break;

    case 'upemail':
      // The member changed address: the new email takes over the old one.
      Segment.alias({ userId: data.new_email, previousId: data.old_email, timestamp });
      Segment.identify({ userId: data.new_email, timestamp, traits: { email: data.new_email } });
      break;

    case 'cleaned':
      Segment.track({ userId: data.email, timestamp, event: 'Email Cleaned', properties: { ...list, reason: data.reason, campaign_id: data.campaign_id } });
      break;

    case 'campaign':
      Segment.set({
        collection: 'campaigns',
        id: data.id,
        properties: { subject: data.subject, status: data.status, reason: data.reason || undefined, ...list, sent_at: timestamp }
      });
      break;

    default:
      throw new EventNotSupported(`Mailchimp webhook type ${type} is not supported`);
  }
}

// Mailchimp sends nested fields flat, as data[merges][FNAME]=…: this builds
// {data: {merges: {FNAME: …}}} from them.
function nest(fields) {
  const out = {};
  for (const [key, value] of Object.entries(fields)) {
    _.set(out, key.replace(/\]/g, '').split('['), value);
  }
  return out;
}

function checkToken(request, expected) {
  const token = request.url.searchParams.get('token') ?? '';
  if (!safeEqual(token, expected)) {
    throw new ValidationError('the webhook token is missing or wrong: check the URL configured in Mailchimp');
  }
}

// Compares two strings in constant time, whatever their lengths.
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
