// Typeform "form_response" webhook: each answer becomes a property named after its question ref.
const PREFIX = 'tf'

const valueOf = answer => {
  switch (answer.type) {
    case 'choice': return answer.choice.label
    case 'choices': return answer.choices.labels
    case 'email': return answer.email
    case 'number': return answer.number
    case 'boolean': return answer.boolean
    default: return answer[answer.type]
  }
}

async function onRequest(request, settings) {
  const { event_type, form_response: response } = request.json()
  if (event_type !== 'form_response') throw new EventNotSupported(`unexpected event_type ${event_type}`)

  const titles = new Map(response.definition.fields.map(f => [f.id, f.title]))
  const answers = Object.fromEntries(response.answers.map(a => [a.field.ref, valueOf(a)]))
  const email = response.answers.find(a => a.type === 'email')?.email
  const userId = response.hidden?.user_id
  if (!userId && !email) {
    throw new ValidationError('response has neither a hidden user_id nor an email answer')
  }

  const identity = userId ? { userId } : { anonymousId: response.token }
  Segment.identify({ ...identity, traits: { email } })
  Segment.track({
    ...identity,
    event: 'Form Submitted',
    timestamp: response.submitted_at,
    properties: {
      form_id: response.form_id,
      [`${PREFIX}_answer_count`]: response.answers.length,
      ...answers,
      unanswered: response.definition.fields
        .filter(f => !response.answers.some(a => a.field.id === f.id))
        .map(f => titles.get(f.id))
    }
  })
}
