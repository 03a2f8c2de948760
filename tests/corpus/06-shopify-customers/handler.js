// Shopify customers/create and customers/update: identify with tags, address and marketing consent.
async function onRequest(request, settings) {
  const topic = request.headers.get('x-shopify-topic')
  const allowed = settings.topics ?? ['customers/create', 'customers/update']
  if (!allowed.includes(topic)) {
    throw new EventNotSupported(`topic ${topic} is not enabled`)
  }
  const c = request.json()
  const tags = c.tags ? c.tags.split(',').map(t => t.trim()).filter(Boolean) : []
  const { default_address: { city, province_code: state, country_code: country } = {} } = c
  const traits = {
    email: c.email,
    firstName: c.first_name,
    lastName: c.last_name,
    phone: c.phone,
    tags,
    acceptsMarketing: c.email_marketing_consent?.state === 'subscribed',
    ordersCount: c.orders_count,
    address: { city, state, country },
    source: settings.sourceName
  }
  Segment.identify({ userId: String(c.id), traits })
  if (settings.trackSignups && topic === 'customers/create') {
    Segment.track({ userId: String(c.id), event: 'Signed Up', properties: { source: settings.sourceName } })
  }
}
