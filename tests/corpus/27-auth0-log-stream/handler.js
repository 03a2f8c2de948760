// Auth0 log stream (custom webhook): batches of tenant log events.
const TYPES = new Map([
  ['s', 'Signed In'],
  ['ss', 'Signed Up'],
  ['slo', 'Signed Out'],
  ['fp', 'Sign In Failed'],
  ['fu', 'Sign In Failed'],
  ['scp', 'Password Changed']
])

async function onRequest(request, settings) {
  const logs = request.json()
  const failures = new Map()
  for (const { log_id: messageId, data } of logs) {
    const { type, user_id: userId, user_name: email, date: timestamp, client_name: app, connection } = data
    if (!TYPES.has(type)) {
      console.log('skip', type, messageId)
      continue
    }
    if (type === 'fp' || type === 'fu') {
      const key = email ?? 'unknown'
      failures.set(key, [...(failures.get(key) ?? []), data.description])
      continue
    }
    if (type === 'ss') Segment.identify({ userId, messageId: `${messageId}-identify`, traits: { email, connection }, timestamp })
    Segment.track({ userId, event: TYPES.get(type), messageId, timestamp, properties: { app, connection } })
  }
  for (const [email, reasons] of failures) {
    Segment.set({ collection: 'login_failures', id: email, properties: { count: reasons.length, reasons } })
  }
}
