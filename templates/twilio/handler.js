// Twilio messaging webhooks (form-urlencoded): incoming SMS become "SMS
// Received" track calls with an identify of the sender's phone number, and
// status callbacks of messages you sent become "SMS Sent", "SMS Delivered"
// or "SMS Failed".
//
// Setup: in the Twilio Console, on the phone number (or Messaging Service),
// set "A message comes in" to this source's webhook URL (HTTP POST); for
// delivery statuses pass the same URL as StatusCallback when sending. Twilio
// signs each request with your account's Auth Token: put it in the "Auth
// token" setting. Phone numbers (E.164) are used as userId.

const STATUS_EVENTS = { sent: 'SMS Sent', delivered: 'SMS Delivered', undelivered: 'SMS Failed', failed: 'SMS Failed', read: 'SMS Read' };
// Statuses a message passes through on its way: nothing to track.
const PROGRESS = ['accepted', 'scheduled', 'queued', 'sending', 'receiving'];

async function onRequest(request, settings) {
  const params = request.json();   // the form fields, decoded
  verifySignature(request, params, settings);

  if (params.CallSid) throw new EventNotSupported('voice calls are not supported, only messages');
  if (!params.MessageSid || !params.From || !params.To) {
    throw new ValidationError('not a Twilio message webhook: MessageSid, From or To is missing');
  }

  const status = params.MessageStatus ?? params.SmsStatus;
  if (status === 'received') {
    const from = params.From;
    Segment.identify({
      userId: from,
      traits: { phone: from, city: params.FromCity, state: params.FromState, country: params.FromCountry }
    });
    Segment.track({
      userId: from,
      event: 'SMS Received',
      messageId: params.MessageSid,
      properties: {
        message_sid: params.MessageSid,
        to: params.To,
        body: params.Body,
        media_count: Number(params.NumMedia ?? 0),
        segments: Number(params.NumSegments ?? 1)
      }
    });
    return;
  }

  if (PROGRESS.includes(status)) {
    console.log(`${params.MessageSid} is ${status}: nothing to track yet`);
    return;
  }
  const event = STATUS_EVENTS[status];
  if (!event) throw new EventNotSupported(`message status ${status} is not supported`);
  Segment.track({
    userId: params.To,   // status callbacks are about messages you sent to this number
    event,
    messageId: `${params.MessageSid}-${status}`,
    properties: {
      message_sid: params.MessageSid,
      from: params.From,
      status,
      error_code: params.ErrorCode ? Number(params.ErrorCode) : undefined
    }
  });
}

// X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the Auth Token, of
// the full URL Twilio called followed by every POST field, sorted by name,
// as name + value with nothing between. The URL is the one configured in
// Twilio; set "Webhook URL" when it differs from what reaches the function.
function verifySignature(request, params, settings) {
  const url = settings.webhookUrl || request.url.href;
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const values = [].concat(params[name]);   // a repeated field gives several values
    for (const value of values.sort()) data += name + value;
  }
  const expected = crypto.createHmac('sha1', settings.authToken).update(data).digest('base64');
  const received = request.headers.get('X-Twilio-Signature') ?? '';
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Twilio-Signature does not match: check the Auth Token and the webhook URL');
  }
}

// Compares two strings in constant time, whatever their lengths.
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
