// Slack slash command (form-encoded), e.g. "/feedback bug checkout button is broken".
const KINDS = ['bug', 'idea', 'praise']

async function onRequest(request, settings) {
  const form = request.json()
  if (form.token !== settings.verificationToken) {
    throw new ValidationError('invalid verification token')
  }
  const [kind = 'other', ...words] = form.text.trim().split(/\s+/)
  const channelTeams = settings.channelTeams ?? {}
  const team = channelTeams[form.channel_name] ?? 'unassigned'
  Segment.track({
    userId: form.user_id,
    event: 'Feedback Submitted',
    properties: {
      kind: KINDS.includes(kind) ? kind : 'other',
      text: words.join(' '),
      command: form.command,
      channel: `#${form.channel_name}`,
      team
    },
    context: { groupId: form.team_id }
  })
  Segment.group({ userId: form.user_id, groupId: form.team_id, traits: { name: form.team_domain } })
}
