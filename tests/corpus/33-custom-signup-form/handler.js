// A plain HTML signup form posting straight to the function (application/x-www-form-urlencoded).
async function onRequest(request, settings) {
  const form = request.json()
  const { email, name = '', newsletter, plan } = form
  if (!email?.includes('@')) {
    throw new ValidationError(`invalid email: ${email}`)
  }
  const interests = [].concat(form.interests ?? [])
  const [firstName, ...others] = name.trim().split(' ')
  const formId = request.url.searchParams.get('form') ?? 'default'
  const referrer = request.headers.get('referer')
  const anonymousId = email.toLowerCase()
  Segment.identify({
    anonymousId,
    traits: {
      email: anonymousId,
      firstName,
      lastName: others.join(' ') || undefined,
      interests,
      newsletter: newsletter === 'on',
      plan: plan || 'free'
    },
    context: referrer ? { page: { referrer } } : undefined
  })
  Segment.track({ anonymousId, event: 'Signup Form Submitted', properties: { form: formId, interest_count: interests.length } })
}
