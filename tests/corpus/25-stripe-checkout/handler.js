// Stripe checkout.session.completed: build the customer and the order in parallel.
async function normalizeAddress(address) {
  if (!address) return null
  const { line1, line2, city, postal_code: zip, country } = address
  return { street: [line1, line2].filter(Boolean).join(', '), city, zip, country }
}

async function buildCustomer(session) {
  const { customer_details: details = {} } = session
  const address = await normalizeAddress(details.address)
  return { email: details.email, name: details.name, phone: details.phone, address }
}

async function buildOrder(session) {
  const items = await Promise.resolve(session.line_items?.data ?? [])
  return {
    order_id: session.id,
    total: session.amount_total / 100,
    currency: session.currency,
    products: items.map(({ price, quantity, description }) => ({ name: description, price: price.unit_amount / 100, quantity }))
  }
}

async function onRequest(request, settings) {
  const { type, data: { object: session } } = request.json()
  if (type !== 'checkout.session.completed') throw new EventNotSupported(type)
  if (session.payment_status !== 'paid') {
    throw new RetryError(`session ${session.id} is ${session.payment_status}`)
  }
  const [traits, order] = await Promise.all([buildCustomer(session), buildOrder(session)])
  const userId = session.client_reference_id ?? session.customer
  Segment.identify({ userId, traits })
  Segment.track({ userId, event: 'Order Completed', properties: order })
}
