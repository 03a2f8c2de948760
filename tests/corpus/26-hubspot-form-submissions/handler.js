// HubSpot workflow webhook that forwards form submissions; only allow-listed fields become traits.
const toTrait = ({ name, value }) => [name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), value]

async function onRequest(request, settings) {
  const { formId, pageUrl, submittedAt, fields = [], contact: { vid } = {} } = request.json()
  const allow = settings.fieldAllowlist
  const kept = fields.filter(f => allow.includes(f.name))
  const traits = Object.fromEntries(kept.map(toTrait))
  const identity = vid ? { userId: `hs-${vid}` } : { anonymousId: traits.email }
  const context = settings.includePageContext ? { page: { url: pageUrl } } : undefined
  Segment.identify({ ...identity, traits, context })
  Segment.track({
    ...identity,
    event: 'Form Submitted',
    properties: { form_id: formId, fields: kept.length, dropped: fields.length - kept.length },
    timestamp: new Date(submittedAt).toISOString(),
    context
  })
}
