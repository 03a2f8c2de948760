// HubSpot webhooks (v3): a batch of contact subscription events in one JSON array.
async function onRequest(request, settings) {
  const batch = request.json()
  const byContact = new Map()
  for (const e of batch) {
    const entry = byContact.get(e.objectId) ?? { created: false, deleted: false, changes: [] }
    if (e.subscriptionType === 'contact.creation') entry.created = true
    else if (e.subscriptionType === 'contact.deletion') entry.deleted = true
    else if (e.subscriptionType === 'contact.propertyChange') entry.changes.push([e.propertyName, e.propertyValue])
    else throw new EventNotSupported(`subscription ${e.subscriptionType}`)
    byContact.set(e.objectId, entry)
  }

  const queue = []
  const ids = [...byContact.keys()].sort((a, b) => a - b)
  for (let i = 0; i < ids.length; i++) {
    const { created, deleted, changes } = byContact.get(ids[i])
    queue.push(() => {
      const userId = `hs-${ids[i]}`
      if (deleted) {
        Segment.track({ userId, event: 'Contact Deleted', properties: { position: i } })
        return
      }
      Segment.identify({ userId, traits: Object.fromEntries(changes) })
      if (created) Segment.track({ userId, event: 'Contact Created', properties: { position: i } })
    })
  }
  queue.forEach(run => run())
  console.log(`${batch.length} events for ${ids.length} contacts`)
}
