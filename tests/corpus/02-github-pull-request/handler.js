// GitHub pull_request webhook: opened / closed (merged or not) / reopened / review requested.
const ACTIONS = {
  opened: 'Pull Request Opened',
  closed: 'Pull Request Closed',
  reopened: 'Pull Request Reopened',
  review_requested: 'Review Requested'
}

async function onRequest(request, settings) {
  const body = request.json()
  const { action, number, pull_request: pr, repository, sender } = body
  const eventName = ACTIONS[action]
  if (!eventName) {
    console.warn('ignoring action', action)
    return
  }
  const userId = String(sender.id)
  const merged = pr.merged ?? false
  Segment.track({
    event: merged ? 'Pull Request Merged' : eventName,
    userId,
    properties: {
      number,
      title: pr.title,
      draft: pr.draft,
      labels: pr.labels?.map(l => l.name) ?? [],
      reviewer: body.requested_reviewer?.login,
      additions: pr.additions ?? 'unknown',
      baseBranch: pr.base?.ref
    },
    timestamp: pr.merged_at ?? pr.updated_at
  })
  Segment.group({
    userId,
    groupId: String(repository.owner.id),
    traits: { name: repository.owner.login, repository: repository.full_name }
  })
}
