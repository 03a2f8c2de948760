// Slack Events API: new workspace members become identify + group calls,
// messages, reactions and channel joins become track calls.
//
// Setup: in your Slack app's settings (api.slack.com/apps) copy Basic
// Information → Signing Secret into the "Signing secret" setting, then under
// Event Subscriptions subscribe to team_join, member_joined_channel,
// message.channels and reaction_added with this source's webhook URL.
//
// The url_verification challenge: when the Request URL is entered, Slack
// posts a challenge and expects it echoed in the response body. A source
// function cannot write its HTTP response, so this function checks the
// signature, logs the challenge and emits nothing: Slack will not mark the
// URL verified by itself. Verify the URL once through an endpoint that
// answers the challenge (a small relay, or a tunnel to a local server), then
// point Slack at this source's URL; events are not verified again.

async function onRequest(request, settings) {
  verifySignature(request, settings.signingSecret, settings.toleranceSeconds);

  const body = parseJson(request);
  if (body.type === 'url_verification') {
    console.log(`url_verification challenge received (${body.challenge}); a source function cannot echo it`);
    return;
  }
  if (body.type !== 'event_callback' || !body.event?.type) {
    throw new EventNotSupported(`Slack request type ${body.type} is not supported`);
  }

  const { event, team_id: teamId, event_id: eventId, event_time: eventTime } = body;
  const common = { messageId: eventId, timestamp: new Date(eventTime * 1000).toISOString() };

  switch (event.type) {
    case 'team_join': {
      const { user } = event;
      Segment.identify({
        ...common,
        userId: user.id,
        traits: {
          name: user.real_name,
          username: user.name,
          email: user.profile?.email,
          title: user.profile?.title || undefined,
          timezone: user.tz,
          is_admin: user.is_admin
        }
      });
      Segment.group({ userId: user.id, groupId: teamId, traits: { slack_team_id: teamId } });
      break;
    }

    case 'member_joined_channel':
      Segment.track({
        ...common,
        userId: event.user,
        event: 'Channel Joined',
        properties: { channel: event.channel, channel_type: event.channel_type, inviter: event.inviter }
      });
      break;

    case 'message':
      // Edits, deletions, bot posts and join notices come as subtypes.
      if (event.subtype || event.bot_id) {
        throw new EventNotSupported(`message subtype ${event.subtype ?? 'bot_message'} is not supported`);
      }
      Segment.track({
        ...common,
        userId: event.user,
        event: 'Message Posted',
        properties: {
          channel: event.channel,
          channel_type: event.channel_type,
          in_thread: Boolean(event.thread_ts),
          length: event.text.length
        }
      });
      break;

    case 'reaction_added':
      Segment.track({
        ...common,
        userId: event.user,
        event: 'Reaction Added',
        properties: { reaction: event.reaction, channel: event.item.channel, item_type: event.item.type, item_user: event.item_user }
      });
      break;

    default:
      throw new EventNotSupported(`Slack event ${event.type} is not supported`);
  }
}

// X-Slack-Signature is "v0=" + the hex HMAC-SHA256 of "v0:TIMESTAMP:BODY",
// TIMESTAMP being X-Slack-Request-Timestamp (seconds).
function verifySignature(request, secret, toleranceSetting) {
  const timestamp = request.headers.get('X-Slack-Request-Timestamp');
  const received = request.headers.get('X-Slack-Signature') ?? '';
  if (!timestamp || !received) throw new ValidationError('X-Slack-Signature or X-Slack-Request-Timestamp is missing');
  const expected = 'v0=' + crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${request.text()}`).digest('hex');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Slack-Signature does not match: check the signing secret');
  }
  checkAge(Number(timestamp), toleranceSetting);
}

// Rejects replays: a request signed longer ago than the tolerance (seconds;
// empty: 300, as Slack recommends; 0 turns the check off).
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
