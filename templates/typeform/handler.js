// Typeform webhooks: each submitted response becomes a "Form Submitted"
// track call with the answers as properties (keyed by each question's "ref"),
// and an identify call when the form asked for an email address.
//
// Setup: in the form go to Connect → Webhooks → Add a webhook, paste this
// source's webhook URL, then Edit → Secret and use the same value as the
// "Webhook secret" setting. To know who answered, add a hidden field named
// user_id to the form and fill it in the form's link (…#user_id=123).

async function onRequest(request, settings) {
  verifySignature(request, settings.webhookSecret);

  const { event_id: eventId, event_type: eventType, form_response: response } = parseJson(request);
  if (eventType !== 'form_response') {
    throw new EventNotSupported(`Typeform event ${eventType} is not supported`);
  }
  if (!response?.token || !Array.isArray(response.answers)) {
    throw new ValidationError('form_response has no token or answers');
  }

  // Who answered: the user_id hidden field, else the response's own token.
  const userId = response.hidden?.user_id;
  const who = userId ? { userId } : { anonymousId: response.token };

  const answers = {};
  for (const answer of response.answers) {
    answers[answer.field.ref] = answerValue(answer);
  }
  const email = response.answers.find(answer => answer.type === 'email')?.email;

  if (email) Segment.identify({ ...who, traits: { email } });
  Segment.track({
    ...who,
    event: 'Form Submitted',
    messageId: eventId,
    timestamp: response.submitted_at,
    properties: {
      form_id: response.form_id,
      form_title: response.definition?.title,
      response_id: response.token,
      score: response.calculated?.score,
      ...answers
    }
  });
}

// An answer's value, whatever the question type.
function answerValue(answer) {
  switch (answer.type) {
    case 'choice':
      return answer.choice.label ?? answer.choice.other;
    case 'choices':
      return [...(answer.choices.labels ?? []), ...(answer.choices.other ? [answer.choices.other] : [])];
    case 'file_url':
      return answer.file_url;
    case 'phone_number':
      return answer.phone_number;
    default:
      // text, email, number, boolean, date, url, payment: named after the type
      return answer[answer.type];
  }
}

// Typeform-Signature is "sha256=" + the base64 HMAC-SHA256 of the raw body.
function verifySignature(request, secret) {
  const received = request.headers.get('Typeform-Signature') ?? '';
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(request.text()).digest('base64');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('Typeform-Signature does not match: check the webhook secret');
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
