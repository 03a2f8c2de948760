// Zoom webhooks: participants joining/leaving and meetings ending.
const pad = n => String(n).padStart(2, '0')
const clock = secs => `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`
const seconds = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 1000)

async function onRequest(request, settings) {
  const { event, event_ts: ts, payload: { account_id: accountId, object: meeting } } = request.json()
  const timestamp = new Date(ts).toISOString()
  const common = { meeting_id: meeting.id, topic: meeting.topic }
  if (event === 'meeting.ended') {
    const length = seconds(meeting.start_time, meeting.end_time)
    Segment.track({
      userId: meeting.host_id,
      event: 'Meeting Ended',
      timestamp,
      properties: { ...common, length_seconds: length, length: clock(length) }
    })
  } else if (event === 'meeting.participant_joined' || event === 'meeting.participant_left') {
    const { participant: p } = meeting
    const identity = p.email ? { userId: p.email } : { anonymousId: p.participant_user_id ?? p.id }
    Segment.track({
      ...identity,
      event: event.endsWith('joined') ? 'Meeting Joined' : 'Meeting Left',
      timestamp,
      properties: { ...common, name: p.user_name, reason: p.leave_reason }
    })
  } else {
    throw new EventNotSupported(`zoom event ${event}`)
  }
  Segment.group({ userId: meeting.host_id, groupId: accountId })
}
