// PayPal webhooks: captured, refunded and denied payments become "Order
// Completed", "Order Refunded" and "Payment Failed" track calls;
// subscriptions activated and cancelled become identify + track calls.
// userId is the custom_id you pass to PayPal when creating the order or
// subscription (set it to your user id); without one, captures are tracked
// with the PayPal order id as anonymousId and subscriptions by payer id.
//
// Authenticity: PayPal signs webhooks with a certificate (PAYPAL-TRANSMISSION-SIG,
// PAYPAL-CERT-URL). Checking it needs either crypto.verify, which this runtime
// does not offer, or a call to PayPal's verify-webhook-signature API with your
// REST credentials for every event. This function checks a secret token in
// the URL instead. Setup: in the PayPal developer dashboard open your app →
// Webhooks → Add webhook, use this source's webhook URL with ?token= and the
// value of the "Webhook token" setting appended, and pick the events below.

async function onRequest(request, settings) {
  checkToken(request, settings.webhookToken);

  const { id, event_type: type, create_time: timestamp, resource } = parseJson(request);
  if (!type || !resource?.id) throw new ValidationError('not a PayPal webhook: event_type or resource.id is missing');
  const common = { messageId: id, timestamp };

  switch (type) {
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.CAPTURE.DENIED': {
      const orderId = resource.supplementary_data?.related_ids?.order_id;
      const who = resource.custom_id ? { userId: resource.custom_id } : { anonymousId: orderId ?? resource.id };
      const names = {
        'PAYMENT.CAPTURE.COMPLETED': 'Order Completed',
        'PAYMENT.CAPTURE.REFUNDED': 'Order Refunded',
        'PAYMENT.CAPTURE.DENIED': 'Payment Failed'
      };
      Segment.track({
        ...common,
        ...who,
        event: names[type],
        properties: {
          order_id: orderId,
          // For a refund, the resource is the refund itself.
          [type === 'PAYMENT.CAPTURE.REFUNDED' ? 'refund_id' : 'capture_id']: resource.id,
          total: Number(resource.amount.value),
          currency: resource.amount.currency_code,
          invoice_id: resource.invoice_id,
          status: resource.status
        }
      });
      break;
    }

    case 'BILLING.SUBSCRIPTION.ACTIVATED':
    case 'BILLING.SUBSCRIPTION.CANCELLED': {
      const { subscriber } = resource;
      const userId = resource.custom_id || subscriber?.payer_id;
      if (!userId) throw new ValidationError(`${type} without custom_id or subscriber.payer_id`);
      if (type === 'BILLING.SUBSCRIPTION.ACTIVATED' && subscriber) {
        Segment.identify({
          ...common,
          userId,
          traits: {
            email: subscriber.email_address,
            first_name: subscriber.name?.given_name,
            last_name: subscriber.name?.surname,
            paypal_payer_id: subscriber.payer_id
          }
        });
      }
      Segment.track({
        ...common,
        messageId: `${id}-track`,
        userId,
        event: type === 'BILLING.SUBSCRIPTION.ACTIVATED' ? 'Subscription Started' : 'Subscription Cancelled',
        properties: { subscription_id: resource.id, plan_id: resource.plan_id, status: resource.status }
      });
      break;
    }

    default:
      throw new EventNotSupported(`PayPal event ${type} is not supported`);
  }
}

function checkToken(request, expected) {
  const token = request.url.searchParams.get('token') ?? '';
  if (!safeEqual(token, expected)) {
    throw new ValidationError('the webhook token is missing or wrong: check the URL configured in PayPal');
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
