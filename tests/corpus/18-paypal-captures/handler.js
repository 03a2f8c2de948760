// PayPal webhooks (v2 payments): captures completed, denied and refunded.
class PayPalError extends Error {
  constructor(message, code) {
    super(message)
    this.name = 'PayPalError'
    this.code = code
  }
}

const money = ({ value, currency_code: currency } = {}) => ({ amount: Number(value), currency })

function parseCapture(resource) {
  if (resource.status === 'DECLINED' || resource.status === 'DENIED') {
    throw new PayPalError(`capture ${resource.id} was ${resource.status.toLowerCase()}`, resource.status)
  }
  const { amount, currency } = money(resource.amount)
  const fee = money(resource.seller_receivable_breakdown?.paypal_fee)
  return { capture_id: resource.id, amount, currency, fee: fee.amount || 0, final: resource.final_capture === true }
}

async function onRequest(request, settings) {
  const { id, event_type: type, resource, create_time: timestamp } = request.json()
  const userId = resource.custom_id ?? resource.payer?.payer_id
  let properties
  try {
    properties = parseCapture(resource)
  } catch (err) {
    if (!(err instanceof PayPalError) || type !== 'PAYMENT.CAPTURE.DENIED') throw err
    console.error(err.name, err.code, err.message)
    Segment.track({ userId, messageId: id, timestamp, event: 'Payment Denied', properties: { capture_id: resource.id } })
    return
  }
  const event = {
    'PAYMENT.CAPTURE.COMPLETED': 'Payment Completed',
    'PAYMENT.CAPTURE.REFUNDED': 'Payment Refunded'
  }[type]
  if (!event) throw new EventNotSupported(type)
  Segment.track({ userId, messageId: id, timestamp, event, properties })
}
