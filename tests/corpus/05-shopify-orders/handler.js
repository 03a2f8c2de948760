// Shopify orders/create and orders/paid webhooks.
const HIGH_VALUE_CENTS = 100_000

function toCents(price) {
  return Math.round(parseFloat(price) * 100)
}

async function onRequest(request, settings) {
  const topic = request.headers.get('X-Shopify-Topic')
  const shop = request.headers.get('X-Shopify-Shop-Domain')
  const order = request.json()
  if (!order.customer) {
    throw new ValidationError(`order ${order.id} has no customer`)
  }
  const { customer: { id: customerId, email, first_name: firstName, last_name: lastName }, line_items: items = [] } = order
  const products = items.map(({ product_id, sku, title, quantity, price, vendor }) => ({
    product_id: String(product_id), sku, name: title, quantity, price: parseFloat(price), vendor
  }))
  const vendors = [...new Set(products.map(p => p.vendor))]
  const totalCents = items.reduce((sum, i) => sum + toCents(i.price) * i.quantity, 0)
  const base = { order_id: String(order.id), currency: order.currency, shop }
  Segment.identify({ userId: String(customerId), traits: { email, firstName, lastName } })
  Segment.track({
    event: topic === 'orders/paid' ? 'Order Paid' : 'Order Placed',
    userId: String(customerId),
    properties: {
      ...base,
      products,
      vendors,
      total: totalCents / 100,
      high_value: totalCents >= HIGH_VALUE_CENTS,
      discount_codes: order.discount_codes.map(d => d.code)
    }
  })
}
