// Stripe webhooks: checkouts, subscriptions, invoices and refunds become
// track calls, customers become identify calls, subscriptions are also kept
// as objects for the warehouse.
//
// Setup: in the Stripe Dashboard go to Developers → Webhooks → Add endpoint,
// paste this source's webhook URL and pick the events below. Copy the
// endpoint's signing secret (whsec_…) into the "Signing secret" setting.

// Currencies Stripe counts in whole units rather than cents.
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];

const amount = (minor, currency) => (ZERO_DECIMAL.includes(currency) ? minor : minor / 100);

async function onRequest(request, settings) {
  verifySignature(request, settings.signingSecret, settings.toleranceSeconds);

  const { id, type, created, data } = parseJson(request);
  const object = data?.object;
  if (!type || !object) throw new ValidationError('not a Stripe event: type or data.object is missing');

  // Your own user id, when you set it as metadata; else the Stripe customer.
  const userId = object.metadata?.user_id || object.customer;
  const common = { messageId: id, timestamp: new Date(created * 1000).toISOString() };

  switch (type) {
    case 'checkout.session.completed': {
      const { customer_details: customer } = object;
      const buyer = object.client_reference_id || userId;
      Segment.identify({ ...common, userId: buyer, traits: { email: customer?.email, name: customer?.name } });
      Segment.track({
        ...common,
        event: 'Order Completed',
        userId: buyer,
        properties: {
          order_id: object.id,
          total: amount(object.amount_total, object.currency),
          currency: object.currency.toUpperCase(),
          payment_status: object.payment_status
        }
      });
      break;
    }

    case 'customer.created':
    case 'customer.updated':
      Segment.identify({
        ...common,
        userId: object.metadata?.user_id || object.id,
        traits: {
          email: object.email,
          name: object.name,
          phone: object.phone,
          stripe_customer_id: object.id,
          created_at: new Date(object.created * 1000).toISOString()
        }
      });
      break;

    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const [item] = object.items.data;
      const plan = {
        subscription_id: object.id,
        status: object.status,
        plan: item.price.nickname || item.price.id,
        amount: amount(item.price.unit_amount, item.price.currency),
        currency: item.price.currency.toUpperCase(),
        interval: item.price.recurring?.interval
      };
      const names = {
        'customer.subscription.created': 'Subscription Started',
        'customer.subscription.updated': 'Subscription Updated',
        'customer.subscription.deleted': 'Subscription Cancelled'
      };
      Segment.track({ ...common, event: names[type], userId, properties: plan });
      Segment.set({ collection: 'subscriptions', id: object.id, properties: { ...plan, customer: object.customer } });
      break;
    }

    case 'invoice.paid':
    case 'invoice.payment_failed':
      Segment.track({
        ...common,
        event: type === 'invoice.paid' ? 'Invoice Paid' : 'Payment Failed',
        userId,
        properties: {
          invoice_id: object.id,
          subscription_id: object.subscription,
          amount: amount(type === 'invoice.paid' ? object.amount_paid : object.amount_due, object.currency),
          currency: object.currency.toUpperCase(),
          attempt: object.attempt_count
        }
      });
      break;

    case 'charge.refunded':
      Segment.track({
        ...common,
        event: 'Order Refunded',
        userId,
        properties: {
          order_id: object.payment_intent,
          charge_id: object.id,
          total: amount(object.amount_refunded, object.currency),
          currency: object.currency.toUpperCase()
        }
      });
      break;

    default:
      throw new EventNotSupported(`Stripe event ${type} is not supported`);
  }
}

// Stripe-Signature is "t=TIMESTAMP,v1=SIGNATURE[,v1=…]": the hex HMAC-SHA256
// of "TIMESTAMP.BODY" with the endpoint's signing secret. Any v1 may match
// (Stripe sends two while a secret is being rolled).
function verifySignature(request, secret, toleranceSetting) {
  const header = request.headers.get('Stripe-Signature') ?? '';
  const pairs = header.split(',').map(part => part.trim().split('='));
  const timestamp = pairs.find(([key]) => key === 't')?.[1];
  const signatures = pairs.filter(([key]) => key === 'v1').map(([, value]) => value);
  if (!timestamp || signatures.length === 0) {
    throw new ValidationError('Stripe-Signature header is missing or has no t= and v1=');
  }
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.${request.text()}`).digest('hex');
  if (!signatures.some(signature => safeEqual(signature, expected))) {
    throw new ValidationError('Stripe-Signature does not match: check the signing secret');
  }
  checkAge(Number(timestamp), toleranceSetting);
}

// Rejects replays: a signature older than the tolerance (seconds; empty:
// 300, Stripe's default; 0 turns the check off).
function checkAge(signedAt, toleranceSetting) {
  const tolerance = toleranceSetting ? Number(toleranceSetting) : 300;
  if (!(tolerance >= 0)) throw new Error(`toleranceSeconds is not a number of seconds: ${toleranceSetting}`);
  if (tolerance > 0 && Math.abs(Date.now() / 1000 - signedAt) > tolerance) {
    throw new ValidationError(`the signature is more than ${tolerance} seconds old`);
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
