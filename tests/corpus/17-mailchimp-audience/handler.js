// Mailchimp audience webhook: form-encoded, with bracketed keys such as data[merges][FNAME].
function nest(flat, into = {}) {
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split(/[[\]]+/).filter(Boolean)
    const last = path.pop()
    let node = into
    for (const part of path) {
      node = node[part] = node[part] ?? {}
    }
    node[last] = value
  }
  return into
}

const EVENTS = {
  subscribe: 'List Subscribed',
  unsubscribe: 'List Unsubscribed',
  profile: 'Profile Updated',
  cleaned: 'Email Cleaned'
}

async function onRequest(request, settings) {
  const { type, fired_at: firedAt, data } = nest(request.json())
  if (!(type in EVENTS)) throw new EventNotSupported(`mailchimp ${type}`)
  const { email, merges = {}, reason } = data
  const traits = {
    email,
    firstName: merges.FNAME,
    lastName: merges.LNAME,
    interests: merges.INTERESTS ? merges.INTERESTS.split(',') : []
  }
  const timestamp = `${firedAt.replace(' ', 'T')}Z`
  if (type !== 'cleaned') Segment.identify({ userId: email, traits, timestamp })
  Segment.track({ userId: email, event: EVENTS[type], timestamp, properties: { list_id: data.list_id, reason } })
}
