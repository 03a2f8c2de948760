// SendGrid Event Webhook: a JSON array of delivery and engagement events.
const NAMES = {
  processed: 'Email Processed',
  delivered: 'Email Delivered',
  open: 'Email Opened',
  click: 'Email Link Clicked',
  bounce: 'Email Bounced',
  unsubscribe: 'Unsubscribed'
}

async function onRequest(request, settings) {
  const events = request.json()
  if (!Array.isArray(events)) {
    throw new InvalidEventPayload('expected an array of events')
  }
  const counts = new Map()
  for (const e of events) {
    const name = NAMES[e.event]
    counts.set(e.event, (counts.get(e.event) ?? 0) + 1)
    if (!name) continue
    const { email, timestamp, sg_event_id, sg_message_id, event, category = [], ...rest } = e
    Segment.track({
      event: name,
      userId: e.user_id,
      anonymousId: e.user_id ? undefined : email,
      messageId: sg_event_id,
      timestamp: new Date(timestamp * 1000).toISOString(),
      properties: { email, categories: [].concat(category), ...rest }
    })
  }
  console.log('processed', [...counts].map(([k, n]) => `${k}=${n}`).join(' '))
}
