// Pipedrive (v1 webhooks): deal added / updated / deleted.
const changed = (current, previous) =>
  Object.keys(current ?? {}).filter(k => previous && k in previous && JSON.stringify(current[k]) !== JSON.stringify(previous[k]))

async function onRequest(request, settings) {
  const { event, meta, current, previous, retry = 0 } = request.json()
  const [action, object] = event.split('.')
  if (object !== 'deal') throw new EventNotSupported(`pipedrive ${event}`)
  if (retry > 0) console.warn(`retry #${retry} of ${meta.id}`)
  const deal = current ?? previous
  const userId = String(deal.person_id ?? meta.user_id)
  const changes = action === 'updated' ? changed(current, previous) : []
  let name = { added: 'Deal Created', deleted: 'Deal Deleted' }[action] ?? 'Deal Updated'
  if (changes.includes('status')) name = `Deal ${deal.status[0].toUpperCase()}${deal.status.slice(1)}`
  Segment.track({
    userId,
    event: name,
    timestamp: new Date(meta.timestamp * 1000).toISOString(),
    properties: { deal_id: deal.id, title: deal.title, value: deal.value, currency: deal.currency, changes }
  })
  if (deal.org_id) Segment.group({ userId, groupId: `org-${deal.org_id}`, traits: { host: meta.host } })
}
