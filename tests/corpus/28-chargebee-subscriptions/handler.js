// Chargebee webhook: subscription and customer events mapped through small classes.
class BaseMapper {
  constructor(body) {
    this.body = body
    this.customer = body.content.customer
  }
  get userId() {
    return this.customer.id
  }
  properties() {
    return { source: this.body.source, api_version: this.body.api_version }
  }
  emit(event) {
    Segment.track({
      userId: this.userId,
      event,
      messageId: this.body.id,
      timestamp: new Date(this.body.occurred_at * 1000).toISOString(),
      properties: this.properties()
    })
  }
}

class SubscriptionMapper extends BaseMapper {
  constructor(body) {
    super(body)
    this.subscription = body.content.subscription
  }
  properties() {
    const { id, plan_id: plan, plan_quantity: quantity = 1, plan_unit_price: unitPrice = 0, status, currency_code: currency } = this.subscription
    return { ...super.properties(), subscription_id: id, plan, quantity, status, currency, amount: (unitPrice * quantity) / 100 }
  }
}

class CustomerMapper extends BaseMapper {
  emit(event) {
    const { email, first_name: firstName, last_name: lastName, company } = this.customer
    Segment.identify({ userId: this.userId, traits: { email, firstName, lastName, company } })
    super.emit(event)
  }
}

const ROUTES = {
  subscription_created: [SubscriptionMapper, 'Subscription Created'],
  subscription_cancelled: [SubscriptionMapper, 'Subscription Cancelled'],
  customer_created: [CustomerMapper, 'Customer Created']
}

async function onRequest(request, settings) {
  const body = request.json()
  const route = ROUTES[body.event_type]
  if (!route) throw new EventNotSupported(`Chargebee ${body.event_type}`)
  const [Mapper, event] = route
  new Mapper(body).emit(event)
}
