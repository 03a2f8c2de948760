// Jira Cloud webhook: issue created / updated (status transitions) / deleted.
const EVENTS = {
  'jira:issue_created': 'Issue Created',
  'jira:issue_updated': 'Issue Updated',
  'jira:issue_deleted': 'Issue Deleted'
}

async function onRequest(request, settings) {
  const { webhookEvent, timestamp, user, issue, changelog } = request.json()
  const event = EVENTS[webhookEvent]
  if (!event) throw new EventNotSupported(`${webhookEvent} is not handled`)
  const { key, fields: { summary, issuetype: { name: issueType } = {}, status, project, labels = [] } } = issue
  const transition = changelog?.items?.find(i => i.field === 'status')
  const properties = { key, summary, issue_type: issueType, status: status?.name, project: project.key, labels }
  for (const [field, value] of Object.entries({ from_status: transition?.fromString, to_status: transition?.toString })) {
    if (value) properties[field] = value
  }
  Segment.track({
    userId: user.accountId,
    event: transition?.toString === 'Done' ? 'Issue Resolved' : event,
    timestamp: new Date(timestamp).toISOString(),
    properties
  })
  Segment.group({ userId: user.accountId, groupId: project.id, traits: { name: project.name, key: project.key } })
}
