// Shopify webhooks: orders become Order Completed / Order Cancelled track
// calls (Segment's e-commerce spec), customers become identify calls and
// products are kept as objects for the warehouse.
//
// Setup: subscribe to the topics below (an app's webhook subscriptions, or
// Settings → Notifications → Webhooks in the Shopify admin) with this
// source's webhook URL and the JSON format. Shopify signs each delivery with
// the app's client secret (or the key shown under the store's webhooks):
// put it in the "Client secret" setting.

async function onRequest(request, settings) {
  verifySignature(request, settings.clientSecret);

  const topic = request.headers.get('X-Shopify-Topic');
  if (!topic) throw new ValidationError('X-Shopify-Topic header is missing: not a Shopify webhook');
  const shop = request.headers.get('X-Shopify-Shop-Domain');
  const data = parseJson(request);

  switch (topic) {
    case 'orders/create':
    case 'orders/cancelled':
      trackOrder(topic === 'orders/create' ? 'Order Completed' : 'Order Cancelled', data, shop);
      break;

    case 'customers/create':
    case 'customers/update':
      Segment.identify({
        userId: String(data.id),
        traits: {
          email: data.email,
          first_name: data.first_name,
          last_name: data.last_name,
          phone: data.phone,
          orders_count: data.orders_count,
          total_spent: Number(data.total_spent ?? 0),
          accepts_marketing: data.email_marketing_consent?.state === 'subscribed',
          tags: data.tags ? data.tags.split(', ') : [],
          shop
        }
      });
      break;

    case 'products/create':
    case 'products/update':
      for (const variant of data.variants ?? []) {
        Segment.set({
          collection: 'products',
          id: String(variant.id),
          properties: {
            product_id: String(data.id),
            name: data.title,
            variant: variant.title,
            sku: variant.sku,
            price: Number(variant.price),
            vendor: data.vendor,
            category: data.product_type,
            status: data.status
          }
        });
      }
      break;

    default:
      throw new EventNotSupported(`Shopify topic ${topic} is not supported`);
  }
}

function trackOrder(event, order, shop) {
  if (!order.id || !Array.isArray(order.line_items)) {
    throw new ValidationError('the order has no id or line_items');
  }
  // Guests have no customer: their checkout token stands in for them.
  const who = order.customer ? { userId: String(order.customer.id) } : { anonymousId: order.checkout_token };
  Segment.track({
    ...who,
    event,
    timestamp: event === 'Order Cancelled' ? order.cancelled_at : order.created_at,
    properties: {
      order_id: String(order.id),
      order_number: order.name,
      total: Number(order.total_price),
      subtotal: Number(order.subtotal_price),
      tax: Number(order.total_tax),
      discount: Number(order.total_discounts),
      shipping: order.shipping_lines.reduce((sum, line) => sum + Number(line.price), 0),
      coupon: order.discount_codes.map(d => d.code).join(',') || undefined,
      currency: order.currency,
      cancel_reason: order.cancel_reason ?? undefined,
      shop,
      products: order.line_items.map(item => ({
        product_id: String(item.product_id),
        sku: item.sku,
        name: item.title,
        variant: item.variant_title,
        price: Number(item.price),
        quantity: item.quantity
      }))
    }
  });
}

// X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body.
function verifySignature(request, secret) {
  const received = request.headers.get('X-Shopify-Hmac-Sha256') ?? '';
  const expected = crypto.createHmac('sha256', secret).update(request.text()).digest('base64');
  if (!safeEqual(received, expected)) {
    throw new ValidationError('X-Shopify-Hmac-Sha256 does not match: check the client secret');
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
