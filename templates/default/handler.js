// A source function turns each webhook that reaches its URL into Segment
// events (identify, track, page, screen, group, alias) and objects (set).
// srcfn runs it the way Segment's Node.js runtime does; this file pastes into
// Segment's editor unchanged.

/**
 * Handles one incoming webhook.
 * @param {Request} request  the HTTPS request that reached the function
 * @param {Object} settings  the values of the settings declared in function.json
 */
async function onRequest(request, settings) {
  // The body, parsed as JSON (form-urlencoded bodies give an object of fields).
  const body = request.json();

  // Headers are a Headers instance: names are case-insensitive.
  const event = request.headers.get('X-Event-Type') ?? body.type;

  // The URL is a URL instance, with its query string in searchParams.
  const source = request.url.searchParams.get('source') ?? 'webhook';

  if (!body.user?.id) {
    // Message Rejected: the request itself is wrong; it is not retried.
    throw new ValidationError('user.id is missing from the body');
  }
  const { id: userId, email, name, plan = 'free' } = body.user;

  switch (event) {
    case 'user.created':
      // Identify: who the user is.
      Segment.identify({ userId, traits: { email, name, plan } });
      break;

    case 'order.completed': {
      const { id, total, currency = 'USD', items = [] } = body.order ?? {};
      // Track: what the user did.
      Segment.track({
        event: 'Order Completed',
        userId,
        properties: { order_id: id, total, currency, products: items.length, source }
      });
      // Set: an object for the warehouse (Object API), one per product.
      for (const item of items) {
        Segment.set({ collection: 'products', id: item.sku, properties: { name: item.name, price: item.price } });
      }
      break;
    }

    case 'page.viewed':
      // Page and Screen: what the user saw, on the web or in an app.
      Segment.page({ userId, name: body.page?.name, properties: { url: body.page?.url } });
      break;

    case 'team.joined':
      // Group: the account the user belongs to; Alias: an older identity.
      Segment.group({ userId, groupId: body.team.id, traits: { name: body.team.name } });
      if (body.previous_id) Segment.alias({ previousId: body.previous_id, userId });
      break;

    default:
      // Unsupported Event Type: the function does not handle this event.
      throw new EventNotSupported(`${event} is not supported`);
  }

  // Console lines are kept with the run (and in the error log when it fails).
  console.log(`handled ${event} for ${userId}`);
}
