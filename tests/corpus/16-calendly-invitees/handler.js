// Calendly v2 webhooks: invitee.created / invitee.canceled.
const camel = s => s.toLowerCase().replace(/[^a-z0-9]+(.)/g, (_, c) => c.toUpperCase())

async function onRequest(request, settings) {
  const { event, payload } = request.json()
  const { email, name, timezone, tracking = {}, questions_and_answers: qa = [], scheduled_event: meeting } = payload
  if (typeof meeting !== 'object') {
    throw new RetryError(`scheduled event not expanded yet for ${email}`)
  }
  const answers = {}
  for (const { question, answer } of qa) answers[camel(question)] = answer
  const campaign = Object.fromEntries(
    Object.entries(tracking)
      .filter(([k, v]) => k.startsWith('utm_') && v != null)
      .map(([k, v]) => [k.slice(4), v])
  )
  const minutes = (Date.parse(meeting.end_time) - Date.parse(meeting.start_time)) / 60_000
  Segment.identify({ userId: email, traits: { email, name, timezone, ...answers } })
  Segment.track({
    userId: email,
    event: event === 'invitee.canceled' ? 'Meeting Canceled' : 'Meeting Scheduled',
    properties: { meeting: meeting.name, minutes, rescheduled: payload.rescheduled, reason: payload.cancellation?.reason },
    context: { campaign }
  })
}
