// Zendesk trigger webhook whose JSON body is built from ticket placeholders.
class Ticket {
  constructor(data) {
    Object.assign(this, data)
  }
  get tagList() {
    return this.tags ? this.tags.split(' ') : []
  }
  get isUrgent() {
    return ['urgent', 'high'].includes(this.priority?.toLowerCase())
  }
  get ageHours() {
    return Math.floor((Date.parse(this.updated_at) - Date.parse(this.created_at)) / 36e5)
  }
  static from(body) {
    if (!body.ticket) throw new InvalidEventPayload('no ticket in payload')
    return new Ticket(body.ticket)
  }
}

const ROUTES = [
  ['billing', ['billing', 'invoice', 'refund']],
  ['technical', ['bug', 'error', 'outage']]
]

async function onRequest(request, settings) {
  const ticket = Ticket.from(request.json())
  let queue = 'general'
  route: for (const [name, keywords] of ROUTES) {
    for (const tag of ticket.tagList) {
      if (keywords.includes(tag)) {
        queue = name
        break route
      }
    }
  }
  let status
  try {
    status = ticket.status.toLowerCase()
  } catch {
    status = 'unknown'
  } finally {
    console.log(`ticket ${ticket.id} routed to ${queue}`)
  }
  Segment.track({
    userId: String(ticket.requester.id),
    event: `Ticket ${status === 'solved' ? 'Solved' : 'Updated'}`,
    properties: {
      ticket_id: ticket.id,
      subject: ticket.title,
      queue,
      status,
      urgent: ticket.isUrgent,
      age_hours: ticket.ageHours,
      tags: ticket.tagList
    },
    context: { traits: { email: ticket.requester.email } }
  })
}
