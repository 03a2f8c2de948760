// The second body make bench measures: a Shopify orders/create webhook of about
// 9 KB (818 values) in the shape of Shopify's REST Order resource, values
// invented; this function turns it into one track call.
async function onRequest(request, settings) {
  const order = request.json();
  const { customer, line_items: items = [] } = order;
  Segment.track({
    event: 'Order Completed',
    userId: customer?.id ? String(customer.id) : 'anonymous',
    properties: {
      order_id: order.id,
      total: Number(order.total_price),
      currency: order.currency,
      products: items.map(i => ({ sku: i.sku, price: Number(i.price), quantity: i.quantity }))
    }
  });
}
