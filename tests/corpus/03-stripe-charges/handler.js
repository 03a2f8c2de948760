// Stripe webhook: charges and invoices become Segment track calls.
const ZERO_DECIMAL = ['jpy', 'krw', 'vnd', 'clp']

const toAmount = (cents, currency) => {
  const decimals = ZERO_DECIMAL.includes(currency) ? 0 : 2
  return cents / 10 ** decimals
}

async function onRequest(request, settings) {
  const { id: eventId, type, created, data: { object } } = request.json()
  const userId = object.metadata?.user_id || object.customer
  const timestamp = new Date(created * 1000).toISOString()

  switch (type) {
    case 'charge.succeeded':
    case 'charge.refunded': {
      const refunded = type === 'charge.refunded'
      Segment.track({
        event: refunded ? 'Order Refunded' : 'Order Completed',
        userId,
        messageId: eventId,
        timestamp,
        properties: {
          order_id: object.id,
          total: toAmount(refunded ? object.amount_refunded : object.amount, object.currency),
          currency: object.currency.toUpperCase(),
          card_brand: object.payment_method_details?.card?.brand
        }
      })
      break
    }
    case 'invoice.payment_failed':
      Segment.track({
        event: 'Payment Failed',
        userId,
        messageId: eventId,
        timestamp,
        properties: { invoice_id: object.id, amount_due: toAmount(object.amount_due, object.currency), attempt: object.attempt_count }
      })
      break
    default:
      throw new EventNotSupported(`Stripe event ${type} is not supported`)
  }
}
