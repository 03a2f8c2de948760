// Intercom webhooks: conversation.user.created and conversation.admin.replied.
const strip = html => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim()

async function onRequest(request, settings) {
  const { topic, data, created_at: createdAt } = request.json()
  const item = data?.item
  const contact = item?.contacts?.contacts?.[0]
  const userId = contact?.external_id
  const anonymousId = contact?.id
  const tags = item?.tags?.tags?.map(t => t.name) ?? []
  const timestamp = new Date(createdAt * 1000).toISOString()

  switch (topic) {
    case 'conversation.user.created':
      Segment.track({
        userId,
        anonymousId,
        timestamp,
        event: 'Conversation Started',
        properties: { conversation_id: item.id, message: strip(item.source.body), tags, channel: item.source.delivered_as }
      })
      break
    case 'conversation.admin.replied': {
      const parts = item.conversation_parts?.conversation_parts ?? []
      const last = parts[parts.length - 1]
      Segment.track({
        userId,
        anonymousId,
        timestamp,
        event: 'Conversation Replied',
        properties: { conversation_id: item.id, admin: last?.author?.name, message: last ? strip(last.body) : null, tags }
      })
      break
    }
    default:
      throw new EventNotSupported(topic)
  }
}
