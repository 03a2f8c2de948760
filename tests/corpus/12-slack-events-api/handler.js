// Slack Events API: team_join and app_mention become Segment calls.
const handlers = {
  team_join({ user }, teamId) {
    Segment.identify({
      userId: user.id,
      traits: { name: user.real_name, email: user.profile?.email, timezone: user.tz, isBot: user.is_bot }
    })
    Segment.group({ userId: user.id, groupId: teamId })
  },
  app_mention(event, teamId) {
    const mentions = event.text.match(/<@[A-Z0-9]+>/g) ?? []
    Segment.track({
      userId: event.user,
      event: 'App Mentioned',
      properties: { channel: event.channel, mentions: mentions.length, thread: Boolean(event.thread_ts), team: teamId }
    })
  }
}

async function onRequest(request, settings) {
  const body = request.json()
  if (body.type === 'url_verification') {
    console.log('challenge', body.challenge)
    return
  }
  const { team_id: teamId, event } = body
  const handler = handlers[event?.type]
  if (!handler) {
    throw new EventNotSupported(`Slack event ${event?.type} not handled`)
  }
  handler(event, teamId)
}
