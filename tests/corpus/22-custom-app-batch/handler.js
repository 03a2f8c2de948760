// Our admin portal posts Segment-shaped messages in batches: {"app": {...}, "batch": [{"type": "track", ...}]}
const ALLOWED = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias'])

function withContext(message, { source = 'custom-app', version = '1.0' } = {}) {
  return { ...message, context: { ...message.context, app: { source, version } } }
}

function emit(...messages) {
  let count = 0
  for (const { type, ...message } of messages) {
    if (!ALLOWED.has(type)) throw new EventNotSupported(`message type ${type} is not allowed`)
    Segment[type]?.(message)
    count++
  }
  return count
}

async function onRequest(request, settings) {
  const { batch = [], app } = request.json()
  const count = emit(...batch.map(m => withContext(m, app)))
  console.log(`emitted ${count} of ${batch.length}`)
}
