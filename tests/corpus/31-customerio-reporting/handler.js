// Customer.io reporting webhook: email / push / sms delivery metrics.
async function onRequest(request, settings) {
  let body
  try {
    body = JSON.parse(request.text())
  } catch (e) {
    throw new InvalidEventPayload(`body is not JSON (${e.name})`)
  }
  const { metric, object_type: channel, timestamp, event_id: messageId, data = {} } = body
  const { identifiers: { id: userId, email } = {}, customer_id: customerId, ...rest } = data
  const title = `${channel[0].toUpperCase()}${channel.slice(1)} ${metric.replace(/_/g, ' ').replace(/\b\w/g, c => c.toUpperCase())}`
  Segment.track({
    userId: userId ?? customerId,
    event: title,
    messageId,
    timestamp: new Date(timestamp * 1000).toISOString(),
    properties: { email, ...rest }
  })
}
