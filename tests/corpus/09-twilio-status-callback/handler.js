// Twilio status callback (form-encoded). The callback URL names the campaign: ?campaign=spring&tag=a&tag=b
const TERMINAL = new Set(['delivered', 'undelivered', 'failed', 'read'])

async function onRequest(request, settings) {
  const params = request.url.searchParams
  const campaign = params.get('campaign') ?? 'none'
  const tags = params.getAll('tag')
  const { MessageSid: sid, MessageStatus: status, To: to, ErrorCode: errorCode } = request.json()

  if (params.has('debug')) console.debug('status callback', { sid, status })
  if (!TERMINAL.has(status)) return

  Segment.track({
    userId: to,
    event: `SMS ${status[0].toUpperCase()}${status.slice(1)}`,
    messageId: `${sid}-${status}`,
    properties: {
      campaign,
      tags,
      error_code: errorCode ? Number(errorCode) : null,
      path: request.url.pathname
    }
  })
}
