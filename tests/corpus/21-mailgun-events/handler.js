// Mailgun webhooks (JSON): delivered / opened / clicked / failed / unsubscribed / complained.
const NAMES = {
  delivered: 'Email Delivered',
  opened: 'Email Opened',
  clicked: 'Email Link Clicked',
  failed: 'Email Bounced',
  unsubscribed: 'Unsubscribed',
  complained: 'Email Marked as Spam'
}

async function onRequest(request, settings) {
  const body = request.json()
  const data = body['event-data']
  if (!data) throw new InvalidEventPayload('missing event-data')
  const vars = data?.['user-variables'] ?? {}
  const headers = data.message?.headers ?? {}
  const status = data['delivery-status']
  Segment.track({
    userId: vars.user_id,
    anonymousId: vars.user_id ? null : data.recipient,
    event: NAMES[data.event] ?? `Mailgun ${data.event}`,
    timestamp: new Date(Math.trunc(data.timestamp * 1000)).toISOString(),
    messageId: data.id,
    properties: {
      subject: headers.subject,
      message_id: headers['message-id'],
      tags: data.tags ?? [],
      url: data.url,
      severity: data.severity,
      code: status?.code,
      reason: data.reason,
      ...Object.fromEntries(Object.entries(vars).filter(([k]) => k !== 'user_id'))
    }
  })
}
