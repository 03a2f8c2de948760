// Stripe customer.subscription.* events: track the change and keep a subscriptions object.
class Subscription {
  constructor(raw) {
    this.raw = raw
  }
  get id() {
    return this.raw.id
  }
  get plan() {
    return this.raw.items.data[0]?.price
  }
  get mrr() {
    const { unit_amount: amount = 0, recurring: { interval = 'month', interval_count: count = 1 } = {} } = this.plan ?? {}
    const perMonth = interval === 'year' ? amount / 12 : amount
    return Math.round(perMonth / count) / 100
  }
  get isTrial() {
    return this.raw.status === 'trialing'
  }
}

const EVENTS = new Map([
  ['customer.subscription.created', 'Subscription Started'],
  ['customer.subscription.updated', 'Subscription Updated'],
  ['customer.subscription.deleted', 'Subscription Cancelled']
])

async function onRequest(request, settings) {
  const { type, data } = request.json()
  if (!EVENTS.has(type)) throw new EventNotSupported(type)
  const sub = new Subscription(data.object)
  const metadata = Object.fromEntries(
    Object.entries(sub.raw.metadata ?? {}).map(([k, v]) => [`meta_${k}`, v])
  )
  const userId = sub.raw.customer
  Segment.track({
    event: EVENTS.get(type),
    userId,
    properties: { subscription_id: sub.id, plan: sub.plan?.nickname, mrr: sub.mrr, trial: sub.isTrial, ...metadata }
  })
  Segment.set({
    collection: 'subscriptions',
    id: sub.id,
    properties: { status: sub.raw.status, customer: userId, mrr: sub.mrr, previous: data.previous_attributes ?? null }
  })
}
