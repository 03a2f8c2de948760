// Intercom webhooks: new users and leads become identify calls, conversations
// started, replied to and closed become track calls, new companies objects
// for the warehouse. userId is the contact's external_id (your user id)
// when Intercom has one; leads without it are tracked by their Intercom id
// as anonymousId.
//
// Setup: in the Intercom Developer Hub open your app → Webhooks, set the
// endpoint URL to this source's webhook URL and pick the topics below. Intercom
// signs each notification with the app's client secret (Basic information →
// App credentials): put it in the "Client secret" setting.

async function onRequest(request, settings) {
  verifySignature(request, settings.clientSecret);

  const notification = parseJson(request);
  const { topic, id, created_at: createdAt } = notification;
  const item = notification.data?.item;
  if (topic === 'ping') {
    console.log(`ping from Intercom: ${item?.message ?? 'ok'}`);
    return;
  }
  if (!topic || !item) throw new ValidationError('not an Intercom notification: topic or data.item is missing');
  const common = { messageId: id, timestamp: new Date(createdAt * 1000).toISOString() };

  switch (topic) {
    case 'contact.user.created':
    case 'contact.lead.created':
      Segment.identify({
        ...common,
        ...who(item),
        // Intercom writes null for what it does not know: leave those out.
        traits: _.omitBy({
          email: item.email,
          name: item.name,
          phone: item.phone,
          role: item.role,
          intercom_id: item.id,
          country: item.location?.country,
          city: item.location?.city,
          created_at: new Date(item.created_at * 1000).toISOString(),
          ...item.custom_attributes
        }, _.isNil)
      });
      break;

    case 'conversation.user.created':
    case 'conversation.admin.replied':
    case 'conversation.admin.closed': {
      const contact = item.contacts?.contacts?.[0];
      if (!contact) throw new ValidationError(`${topic} without a contact`);
      const names = {
        'conversation.user.created': 'Conversation Started',
        'conversation.admin.replied': 'Conversation Replied',
        'conversation.admin.closed': 'Conversation Closed'
      };
      Segment.track({
        ...common,
        ...who(contact),
        event: names[topic],
        properties: {
          conversation_id: item.id,
          channel: item.source?.delivered_as,
          subject: item.source?.subject || undefined,
          admin_id: item.admin_assignee_id ?? undefined,
          state: item.state
        }
      });
      break;
    }

    case 'company.created':
      Segment.set({
        collection: 'companies',
        id: item.company_id || item.id,
        properties: { name: item.name, plan: item.plan?.name, size: item.size, website: item.website, intercom_id: item.id }
      });
      break;

    default:
      throw new EventNotSupported(`Intercom topic ${topic} is not supported`);
  }
}

// A contact's identity: your user id, else Intercom's id as anonymousId.
function who(contact) {
  return contact.external_id ? { userId: contact.external_id } : { anonymousId: contact.id };
}

// X-Hub-Signature is "sha1=" + the hex HMAC-SHA1 of the raw body.
function verifySignature(request, secret) {
  const received = request.headers.get('X-Hub-Signature') ?? '';
  const expected = 'sha1=' + crypto.createHmac('sha1', secret).update(request.text()).digest('hex');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Hub-Signature does not match: check the client secret');
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
