// Twilio Messaging webhook (application/x-www-form-urlencoded): inbound SMS and MMS.
const OPT_OUT = ['stop', 'unsubscribe', 'cancel', 'end', 'quit']

async function onRequest(request, settings) {
  const sms = request.json()
  const { From: from, To: to, Body: text = '', NumMedia: numMedia = '0', MessageSid: messageId } = sms
  if (!from) {
    throw new ValidationError('missing From')
  }
  const media = Array.from({ length: parseInt(numMedia, 10) }, (_, i) => ({
    url: sms[`MediaUrl${i}`],
    type: sms[`MediaContentType${i}`]
  }))
  const words = text.toLowerCase().split(/\s+/)
  const optOut = OPT_OUT.some(w => words.includes(w))
  const location = [sms.FromCity, sms.FromState, sms.FromCountry].filter(Boolean).join(', ')

  Segment.identify({ userId: from, traits: { phone: from, location, ...(optOut && { smsOptOut: true }) } })
  Segment.track({
    userId: from,
    event: optOut ? 'SMS Opted Out' : 'SMS Received',
    messageId,
    properties: { to, body: text, segments: Number(sms.NumSegments ?? 1), media }
  })
  console.info(`SMS from ${from.slice(0, -4).replace(/\d/g, '*')}${from.slice(-4)}`)
}
