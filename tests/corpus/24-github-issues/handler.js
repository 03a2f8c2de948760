// GitHub "issues" webhook: one event for the action, one per label change, one per other assignee.
function* messages({ action, issue, label, sender, repository }) {
  const userId = sender.login
  const base = { repository: repository.full_name, number: issue.number }
  yield { userId, event: `Issue ${action[0].toUpperCase()}${action.slice(1)}`, properties: { ...base, title: issue.title } }
  if (action === 'labeled' || action === 'unlabeled') {
    yield { userId, event: 'Issue Label Changed', properties: { ...base, label: label.name, added: action === 'labeled' } }
  }
  for (const assignee of issue.assignees ?? []) {
    if (assignee.login !== userId) yield { userId: assignee.login, event: 'Issue Assigned To Me', properties: base }
  }
}

async function onRequest(request, settings) {
  if (request.headers.get('x-github-event') !== 'issues') {
    throw new EventNotSupported('only issues events are handled')
  }
  const all = [...messages(request.json())]
  all.forEach(m => Segment.track(m))
  console.log('sent %d events for issue #%s', all.length, all[0].properties.number)
}
