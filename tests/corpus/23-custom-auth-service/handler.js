// Our auth service posts login/signup/page_view events; we merge anonymous ids and keep the x-app-* headers.
async function onRequest(request, settings) {
  const { event, anonymous_id: anonymousId, user = {}, page } = request.json()
  const query = Object.fromEntries(request.url.searchParams)
  const forwarded = {}
  for (const [name, value] of request.headers) {
    if (name.startsWith('x-app-')) forwarded[name.slice(6)] = value
  }
  const context = { app: forwarded, campaign: query }
  if (event === 'page_view') {
    Segment.page({
      anonymousId,
      userId: user.id,
      name: page?.title,
      properties: { path: page?.path, referrer: page?.referrer },
      context
    })
    return
  }
  for (const previousId of user.previous_ids ?? []) {
    Segment.alias({ userId: user.id, previousId })
  }
  Segment.alias({ userId: user.id, previousId: anonymousId })
  Segment.identify({ userId: user.id, anonymousId, traits: { email: user.email, plan: user.plan }, context })
  Segment.track({ userId: user.id, event: event === 'signup' ? 'Signed Up' : 'Logged In', context })
}
